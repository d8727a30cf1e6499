/**
 * Repository records to REST views. Pure functions: the same records and base URL always give the
 * same views, which is what lets a version's responses be computed once.
 */
import { paragraphsToMarkdown, statementsToMarkdown } from '../content/markdown.js'
import type { EntityChange, FieldChange, Placement, VersionChanges } from '../content/changes.js'
import { frameworkUuid } from '../content/ids.js'
import type {
  ActivityRecord, CompetencyRecord, DefinitionRecord, DilemmaRecord, DomainRecord, EntityRecord, HintRecord,
  FrameworkRecord, PrincipleRecord, QuestionRecord, ResourceRecord, SubPointRecord, VersionRecord
} from '../content/model.js'
import type { ListedType } from '../store/repository.js'
import type {
  ActivityView, CompetencyRefView, CompetencyView, DefinitionView, DilemmaView, DomainRefView, DomainView, HintView,
  PrincipleView, QuestionView, ResourceView, SubPointView
} from './schemas/entities.js'
import type { ChangesView, FieldChangeView } from './schemas/changes.js'
import type { FrameworkView, VersionSummaryView, VersionView } from './schemas/frameworks.js'
import { collectionOf, type Urls } from '../web/urls.js'
import { lmsFileLinks } from '../web/lms-files.js'

function identity<T extends EntityRecord['type']> (urls: Urls, r: EntityRecord & { type: T }, href: string) {
  return {
    type: r.type,
    id: r.id,
    code: r.code,
    uuid: r.uuid,
    framework: r.framework,
    version: r.version,
    uri: urls.uri(r.uuid),
    href,
    position: r.position
  }
}

const hrefOf = (urls: Urls, r: EntityRecord & { type: ListedType }): string => urls.entity(r.framework, r.version, r.type, r.id)

export function domainRef (urls: Urls, d: DomainRecord): DomainRefView {
  return { type: 'domain', id: d.id, code: d.code, uuid: d.uuid, name: d.name, uri: urls.uri(d.uuid), href: hrefOf(urls, d) }
}

export function competencyRef (urls: Urls, c: CompetencyRecord): CompetencyRefView {
  return { type: 'competency', id: c.id, code: c.code, uuid: c.uuid, name: c.name, uri: urls.uri(c.uuid), href: hrefOf(urls, c) }
}

export function principleView (urls: Urls, p: PrincipleRecord): PrincipleView {
  return { ...identity(urls, p, hrefOf(urls, p)), name: p.name, description: p.description }
}

/** A domain without its competencies (the detail adds them). */
export function domainView (urls: Urls, d: DomainRecord): DomainView {
  return { ...identity(urls, d, hrefOf(urls, d)), name: d.name, description: d.description }
}

/** A competency without its activities and hint (the detail adds them). */
export function competencyView (urls: Urls, c: CompetencyRecord, domain: DomainRecord): CompetencyView {
  return {
    ...identity(urls, c, hrefOf(urls, c)),
    name: c.name,
    domain: domainRef(urls, domain),
    overview: c.overview,
    overviewMarkdown: statementsToMarkdown(c.overview)
  }
}

export function subPointView (urls: Urls, s: SubPointRecord): SubPointView {
  return { ...identity(urls, s, urls.subpoint(s.framework, s.version, s.activity, s.id)), text: s.text }
}

export function activityView (urls: Urls, a: ActivityRecord, competency: CompetencyRecord, domain: DomainRecord): ActivityView {
  const href = hrefOf(urls, a)
  return {
    ...identity(urls, a, href),
    text: a.text,
    competency: competencyRef(urls, competency),
    domain: domainRef(urls, domain),
    subitems: a.subpoints.map((s) => s.text),
    subpoints: a.subpoints.map((s) => subPointView(urls, s))
  }
}

export function hintView (urls: Urls, h: HintRecord, competency: CompetencyRecord, domain: DomainRecord): HintView {
  return {
    ...identity(urls, h, hrefOf(urls, h)),
    competency: competencyRef(urls, competency),
    domain: domainRef(urls, domain),
    paragraphs: h.paragraphs,
    text: paragraphsToMarkdown(h.paragraphs)
  }
}

export function definitionView (urls: Urls, d: DefinitionRecord): DefinitionView {
  return { ...identity(urls, d, hrefOf(urls, d)), term: d.term, text: d.text, otherNames: d.otherNames }
}

export function questionView (urls: Urls, q: QuestionRecord): QuestionView {
  return { ...identity(urls, q, hrefOf(urls, q)), text: q.text, subquestions: q.subquestions }
}

export function dilemmaView (urls: Urls, d: DilemmaRecord): DilemmaView {
  return { ...identity(urls, d, hrefOf(urls, d)), text: d.text }
}

export function resourceView (urls: Urls, r: ResourceRecord): ResourceView {
  return {
    ...identity(urls, r, hrefOf(urls, r)),
    kind: r.kind,
    text: r.text,
    ...(r.url === null ? {} : { url: r.url }),
    ...(r.doi === null ? {} : { doi: r.doi }),
    group: {
      id: r.group,
      ...(r.groupTitle === null ? {} : { title: r.groupTitle }),
      ...(r.groupNote === null ? {} : { note: r.groupNote })
    }
  }
}

export function versionSummary (urls: Urls, v: VersionRecord): VersionSummaryView {
  return {
    type: 'version',
    framework: v.framework,
    version: v.number,
    uuid: v.uuid,
    uri: urls.uri(v.uuid),
    href: urls.version(v.framework, v.number),
    released: v.released,
    latest: v.ordinal === 0
  }
}

export function frameworkView (urls: Urls, f: FrameworkRecord): FrameworkView {
  const uuid = frameworkUuid(f.id)
  return {
    type: 'framework',
    id: f.id,
    uuid,
    uri: urls.uri(uuid),
    href: urls.framework(f.id),
    title: f.title,
    latest: f.versions[0]?.number ?? '',
    versions: f.versions.map((v) => versionSummary(urls, v))
  }
}

/** A version's metadata; `previous` (the next older version) adds a link to the changes since. */
export function versionView (urls: Urls, v: VersionRecord, previous?: VersionRecord): VersionView {
  const m = v.meta
  const href = urls.version(v.framework, v.number)
  const links: Record<string, string> = Object.fromEntries(
    [...Object.values(collectionOf), 'export'].map((c) => [c, `${href}/${c}`])
  )
  if (previous !== undefined) links.changes = `${href}/changes?from=${encodeURIComponent(previous.number)}`
  return {
    ...versionSummary(urls, v),
    title: m.title,
    ...(m.subtitle === undefined ? {} : { subtitle: m.subtitle }),
    citation: m.citation,
    language: m.language,
    authors: m.authors,
    publishers: m.publishers,
    description: m.description,
    ...(m.development === undefined ? {} : { development: m.development }),
    ...(m.derivedFrom === undefined ? {} : { derivedFrom: m.derivedFrom }),
    checksum: v.checksum,
    counts: v.counts,
    dilemmas: {
      introduction: v.dilemmasIntroduction,
      ...(v.dilemmasConclusion === null ? {} : { conclusion: v.dilemmasConclusion })
    },
    resources: { introduction: v.resourcesIntroduction },
    lmsFiles: lmsFileLinks(urls, v.framework, v.number),
    links
  }
}

function fieldChange (f: FieldChange): FieldChangeView {
  return { field: f.field, ...(f.before === null ? {} : { from: f.before }), ...(f.after === null ? {} : { to: f.after }), diff: f.diff }
}

/** A changed entity as the changes resource lists it, linked in the version it is described from. */
function changeEntry (urls: Urls, e: EntityChange, framework: string, version: string) {
  const parent = (e.after ?? e.before)?.parent ?? null
  const href = e.type === 'subpoint' ? urls.subpoint(framework, version, parent ?? '', e.id) : urls.entity(framework, version, e.type, e.id)
  return { type: e.type, id: e.id, code: e.code, uri: urls.uri(e.uuid), href, ...(parent === null ? {} : { parent }) }
}

const placement = (p: Placement) => ({ ...(p.parent === null ? {} : { parent: p.parent }), position: p.position })

/** The content diff of two versions as the changes resource: removed entities link to `from`, the rest to `to`. */
export function changesView (urls: Urls, framework: string, diff: VersionChanges): ChangesView {
  const { from, to } = diff
  return {
    framework,
    from,
    to,
    links: { from: urls.version(framework, from), to: urls.version(framework, to) },
    summary: { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, moved: diff.moved.length },
    metadata: diff.metadata.map(fieldChange),
    added: diff.added.map((e) => changeEntry(urls, e, framework, to)),
    removed: diff.removed.map((e) => changeEntry(urls, e, framework, from)),
    changed: diff.changed.map((c) => ({ ...changeEntry(urls, c, framework, to), fields: c.fields.map(fieldChange) })),
    moved: diff.moved.map((m) => ({ ...changeEntry(urls, m, framework, to), from: placement(m.before!), to: placement(m.after!) }))
  }
}
