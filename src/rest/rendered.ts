/**
 * A version as REST renders it: the views of every entity, rendered once from the catalog's
 * VersionIndex (which owns the records, lookups and children) and kept with it.
 */
import type { CompetencyRecord, DomainRecord, VersionRecord, VersionRecords } from '../content/model.js'
import type { Catalog } from '../catalog/catalog.js'
import { groupBy } from '../catalog/group-by.js'
import type { VersionIndex } from '../catalog/version-index.js'
import { mapSteps, runNow, runYielding, type Steps } from '../catalog/steps.js'
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

  constructor (readonly index: VersionIndex, views: { [K in ListedType]: Collection<ViewByType[K]> }) {
    this.views = views
    this.activitiesOf = groupBy(this.views.activity.list, (a) => a.competency.id)
    this.hintOf = new Map(this.views.hint.list.map((h) => [h.competency.id, h]))
    this.competenciesOf = groupBy(this.views.competency.list, (c) => c.domain.id)
  }

  /** Renders every view of a version, in steps (catalog/steps.ts): a large version takes a while. */
  static * steps (index: VersionIndex, urls: Urls): Steps<RenderedVersion> {
    const records = index.records
    const domainOf = (id: string): DomainRecord => must(index.byId.domain.get(id), 'domain', id)
    const competencyOf = (id: string): CompetencyRecord => must(index.byId.competency.get(id), 'competency', id)
    const views = {
      principle: collection(yield * mapSteps(records.principle, (p) => principleView(urls, p))),
      domain: collection(yield * mapSteps(records.domain, (d) => domainView(urls, d))),
      competency: collection(yield * mapSteps(records.competency, (c) => competencyView(urls, c, domainOf(c.domain)))),
      activity: collection(yield * mapSteps(records.activity, (a) => activityView(urls, a, competencyOf(a.competency), domainOf(a.domain)))),
      hint: collection(yield * mapSteps(records.hint, (h) => hintView(urls, h, competencyOf(h.competency), domainOf(h.domain)))),
      definition: collection(yield * mapSteps(records.definition, (d) => definitionView(urls, d))),
      question: collection(yield * mapSteps(records.question, (q) => questionView(urls, q))),
      dilemma: collection(yield * mapSteps(records.dilemma, (d) => dilemmaView(urls, d))),
      resource: collection(yield * mapSteps(records.resource, (r) => resourceView(urls, r)))
    }
    yield
    return new RenderedVersion(index, views)
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
  /** Renderings being built in slices, by `framework@version`. */
  private readonly pending = new Map<string, Promise<RenderedVersion>>()

  constructor (private readonly catalog: Catalog, private readonly urls: Urls) {}

  get (v: VersionRecord): RenderedVersion {
    const index = this.catalog.index(v)
    return this.byIndex.get(index) ?? this.keep(index, runNow(RenderedVersion.steps(index, this.urls)))
  }

  /**
   * A version's rendering without holding up other requests: at once when it is ready, else
   * built (or its background build joined) in slices that leave the event loop to them.
   */
  async prepare (v: VersionRecord, sliceMs?: number): Promise<RenderedVersion> {
    const key = `${v.framework}@${v.number}`
    const ready = this.catalog.readyIndex(v)
    const done = ready === undefined ? undefined : this.byIndex.get(ready)
    if (done !== undefined) return done
    let pending = this.pending.get(key)
    if (pending === undefined) {
      pending = (async () => {
        const index = await this.catalog.prepareIndex(v, sliceMs)
        return this.byIndex.get(index) ?? this.keep(index, await runYielding(RenderedVersion.steps(index, this.urls), sliceMs))
      })().finally(() => this.pending.delete(key))
      this.pending.set(key, pending)
    }
    return await pending
  }

  /** Renders every version ahead of its first request, one after another, in slices. */
  async warm (sliceMs?: number): Promise<void> {
    for (const v of this.catalog.versions()) await this.prepare(v, sliceMs)
  }

  /** Keeps a rendering, unless a request made one meanwhile (the first one stays). */
  private keep (index: VersionIndex, rendered: RenderedVersion): RenderedVersion {
    const existing = this.byIndex.get(index)
    if (existing !== undefined) return existing
    this.byIndex.set(index, rendered)
    return rendered
  }
}
