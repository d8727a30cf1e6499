/**
 * Canonical URIs and REST addresses of frameworks, versions and entities, as GraphQL serves them:
 * the REST API's own URL builder (src/web/urls.ts), so both APIs give the same `uri` and `href`.
 */
import type { EntityRecord, FrameworkRecord, VersionRecord } from '../content/model.js'
import { Urls } from '../web/urls.js'
import { lmsFileLinks, type LmsFileLink } from '../web/lms-files.js'
import type { ListedType } from '../store/repository.js'

export interface Links {
  /** `${base}/uri/${uuid}`: the permanent URI of anything with a uuid. */
  uri: (thing: { uuid: string }) => string
  frameworkHref: (f: FrameworkRecord) => string
  versionHref: (v: VersionRecord) => string
  /** The REST resource of an entity of a listed kind (sub-points have none of their own in GraphQL). */
  entityHref: (e: EntityRecord) => string
  /** The LMS files of a version, with their download URLs (as the REST version lists them). */
  lmsFiles: (v: VersionRecord) => LmsFileLink[]
}

/** Links on the public base URL (see publicUrl in config.ts). */
export function links (base: string): Links {
  const urls = new Urls(base)
  return {
    uri: ({ uuid }) => urls.uri(uuid),
    frameworkHref: (f) => urls.framework(f.id),
    versionHref: (v) => urls.version(v.framework, v.number),
    entityHref: (e) => urls.entity(e.framework, e.version, e.type as ListedType, e.id),
    lmsFiles: (v) => lmsFileLinks(urls, v.framework, v.number)
  }
}
