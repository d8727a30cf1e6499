/** Where each page of the explorer (src/pages/) lives. Pure, so that the URI resolver can send browsers there too. */

/** The explorer's prefix: every page of a framework version lies under it. */
export const explorePrefix = '/explore'
/** Where the picker, its iframe page and its demo are served. */
export const embedPrefix = '/embed'

/** The kinds of entity that have a page of their own. */
export const pageCollections = { principle: 'principles', domain: 'domains', competency: 'competencies' } as const
/** The kinds listed on one page each, an entity being an anchor on it. */
export const listPages = { definition: 'definitions', question: 'questions', dilemma: 'dilemmas', resource: 'resources' } as const

const seg = encodeURIComponent

/** A version's page, or a path under it. */
export function versionPath (framework: string, version: string, rest = ''): string {
  return `${explorePrefix}/${seg(framework)}/${seg(version)}${rest}`
}

/** An anchor id for an entity on a page (codes such as C01.A02 are valid ids). */
export const anchor = (code: string): string => code

/**
 * The page of what an identifier names: a version, an entity, or a place on a page (activities,
 * sub-points and hints on their competency's page, list entries on their list's page). `parent`:
 * a key activity's or hint's competency, a sub-point's activity's competency. Undefined when the
 * thing has no page (CASE associations and item types).
 */
export function explorerPath (framework: string, version: string, type: string, id: string, code?: string, parent?: string): string | undefined {
  if (type === 'framework') return versionPath(framework, 'latest')
  if (type === 'version') return versionPath(framework, version)
  if (type in pageCollections) return versionPath(framework, version, `/${pageCollections[type as keyof typeof pageCollections]}/${seg(id)}`)
  if (type in listPages) return versionPath(framework, version, `/${listPages[type as keyof typeof listPages]}#${seg(code ?? id)}`)
  if ((type === 'activity' || type === 'subpoint' || type === 'hint') && parent !== undefined && code !== undefined) {
    return versionPath(framework, version, `/competencies/${seg(parent)}#${seg(code)}`)
  }
  return undefined
}
