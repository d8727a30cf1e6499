/** Absolute URLs of the API's resources, built on the configured public base URL. */
import type { ListedType } from '../store/repository.js'

/** The collection (path segment) of each kind of entity. */
export const collectionOf: Record<ListedType, string> = {
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

export class Urls {
  /** @param base the public base URL, without a trailing slash */
  constructor (readonly base: string) {}

  /** Canonical, version-independent URI of anything with a uuid. */
  uri (uuid: string): string {
    return `${this.base}/uri/${uuid}`
  }

  framework (framework: string): string {
    return `${this.base}/v1/frameworks/${encodeURIComponent(framework)}`
  }

  version (framework: string, version: string): string {
    return `${this.framework(framework)}/${encodeURIComponent(version)}`
  }

  /** An entity's URL, pinned to its version. */
  entity (framework: string, version: string, type: ListedType, id: string): string {
    return `${this.version(framework, version)}/${collectionOf[type]}/${encodeURIComponent(id)}`
  }

  /** A sub-point's URL: its activity's, with the sub-point id as fragment. */
  subpoint (framework: string, version: string, activity: string, id: string): string {
    return `${this.entity(framework, version, 'activity', activity)}#${encodeURIComponent(id)}`
  }

  /** An absolute URL for a path of this service (path starting with `/`). */
  absolute (path: string): string {
    return `${this.base}${path}`
  }
}
