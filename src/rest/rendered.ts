/**
 * A version as REST renders it: the views of every entity, rendered once from the catalog's
 * VersionIndex (which owns the records, lookups and children) and kept with it.
 */
import type { CompetencyRecord, DomainRecord, VersionRecord, VersionRecords } from '../content/model.js'
import type { Catalog } from '../catalog/catalog.js'
import { groupBy } from '../catalog/group-by.js'
import type { VersionIndex } from '../catalog/version-index.js'
import type { ListedType } from '../store/repository.js'
import type {
  ActivityView, CompetencyView, DefinitionView, DilemmaView, DomainView, HintView, PrincipleView, QuestionView, ResourceView
} from './schemas/entities.js'
import type { Urls } from '../web/urls.js'
import {
  activityView, competencyView, definitionView, dilemmaView, domainView, hintView, principleView, questionView, resourceView
} from './views.js'

export interface ViewByType {
  principle: PrincipleView
  domain: DomainView
  competency: CompetencyView
  activity: ActivityView
  hint: HintView
  definition: DefinitionView
  question: QuestionView
  dilemma: DilemmaView
  resource: ResourceView
}

/** One kind's views in guide order, and by id. */
export interface Collection<V> {
  list: V[]
  byId: Map<string, V>
}

function collection<V extends { id: string }> (list: V[]): Collection<V> {
  return { list, byId: new Map(list.map((v) => [v.id, v])) }
}

export class RenderedVersion {
  readonly views: { [K in ListedType]: Collection<ViewByType[K]> }
  /** Activities of each competency, in order. */
  readonly activitiesOf: Map<string, ActivityView[]>
  /** The hint of each competency. */
  readonly hintOf: Map<string, HintView>
  /** Competencies of each domain, in order. */
  readonly competenciesOf: Map<string, CompetencyView[]>

  constructor (readonly index: VersionIndex, urls: Urls) {
    const records = index.records
    const domainOf = (id: string): DomainRecord => must(index.byId.domain.get(id), 'domain', id)
    const competencyOf = (id: string): CompetencyRecord => must(index.byId.competency.get(id), 'competency', id)

    this.views = {
      principle: collection(records.principle.map((p) => principleView(urls, p))),
      domain: collection(records.domain.map((d) => domainView(urls, d))),
      competency: collection(records.competency.map((c) => competencyView(urls, c, domainOf(c.domain)))),
      activity: collection(records.activity.map((a) => activityView(urls, a, competencyOf(a.competency), domainOf(a.domain)))),
      hint: collection(records.hint.map((h) => hintView(urls, h, competencyOf(h.competency), domainOf(h.domain)))),
      definition: collection(records.definition.map((d) => definitionView(urls, d))),
      question: collection(records.question.map((q) => questionView(urls, q))),
      dilemma: collection(records.dilemma.map((d) => dilemmaView(urls, d))),
      resource: collection(records.resource.map((r) => resourceView(urls, r)))
    }
    this.activitiesOf = groupBy(this.views.activity.list, (a) => a.competency.id)
    this.hintOf = new Map(this.views.hint.list.map((h) => [h.competency.id, h]))
    this.competenciesOf = groupBy(this.views.competency.list, (c) => c.domain.id)
  }

  get version (): VersionRecord { return this.index.version }
  get records (): VersionRecords { return this.index.records }

  /** The whole competency: its activities (with sub-points) and hint embedded. */
  competencyDetail (id: string): CompetencyView | undefined {
    const c = this.views.competency.byId.get(id)
    if (c === undefined) return undefined
    const hint = this.hintOf.get(id)
    return { ...c, activities: this.activitiesOf.get(id) ?? [], ...(hint === undefined ? {} : { hint }) }
  }

  /** The domain with its competencies. */
  domainDetail (id: string): DomainView | undefined {
    const d = this.views.domain.byId.get(id)
    return d === undefined ? undefined : { ...d, competencies: this.competenciesOf.get(id) ?? [] }
  }
}

function must<T> (value: T | undefined, type: string, id: string): T {
  if (value === undefined) throw new Error(`content database is inconsistent: no ${type} ${id}`)
  return value
}

/** Each version's REST rendering, made on first use and kept beside its index (the set of versions is fixed). */
export class Renderings {
  private readonly byIndex = new WeakMap<VersionIndex, RenderedVersion>()

  constructor (private readonly catalog: Catalog, private readonly urls: Urls) {}

  get (v: VersionRecord): RenderedVersion {
    const index = this.catalog.index(v)
    let rendered = this.byIndex.get(index)
    if (rendered === undefined) {
      rendered = new RenderedVersion(index, this.urls)
      this.byIndex.set(index, rendered)
    }
    return rendered
  }
}
