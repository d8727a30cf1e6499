/** Canonical URIs and REST addresses of frameworks, versions and entities, as GraphQL serves them. */
import type { EntityRecord, EntityType, FrameworkRecord, VersionRecord } from '../content/model.js'

/** The REST collection each kind of entity is listed in. */
export const collections: Record<Exclude<EntityType, 'subpoint'>, string> = {
  principle: 'principles',
  domain: 'domains',
  competency: 'competencies',
  activity: 'activities',
  hint: 'hints',
  definition: 'definitions',
  question: 'questions',
  dilemma: 'dilemmas',
  resource: 'resources'
}

export interface Links {
  /** `${base}/uri/${uuid}`: the permanent URI of anything with a uuid. */
  uri: (thing: { uuid: string }) => string
  frameworkHref: (f: FrameworkRecord) => string
  versionHref: (v: VersionRecord) => string
  entityHref: (e: EntityRecord) => string
}

/** Links on the public base URL (see publicUrl in config.ts). */
export function links (base: string): Links {
  const fw = (id: string): string => `${base}/v1/frameworks/${encodeURIComponent(id)}`
  return {
    uri: ({ uuid }) => `${base}/uri/${uuid}`,
    frameworkHref: (f) => fw(f.id),
    versionHref: (v) => `${fw(v.framework)}/${encodeURIComponent(v.number)}`,
    entityHref: (e) => `${fw(e.framework)}/${encodeURIComponent(e.version)}/${collections[e.type as keyof typeof collections]}/${encodeURIComponent(e.id)}`
  }
}
