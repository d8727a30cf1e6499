/**
 * A version's content, read once and kept as REST views. The database is read-only and only a
 * restart changes it, so each version is a value: one repository read per kind, the first time
 * the version is asked for, and every later request is served from memory.
 */
import type { CompetencyRecord, DomainRecord, VersionRecord, VersionRecords } from '../content/model.js'
import { readVersion } from '../catalog/records.js'
import type { ListedType, Repository } from '../store/repository.js'
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

function groupBy<V> (list: V[], key: (v: V) => string): Map<string, V[]> {
  const out = new Map<string, V[]>()
  for (const v of list) {
    const k = key(v)
    const group = out.get(k)
    if (group === undefined) out.set(k, [v])
    else group.push(v)
  }
  return out
}

export class VersionSnapshot {
  readonly views: { [K in ListedType]: Collection<ViewByType[K]> }
  /** Activities of each competency, in order. */
  readonly activitiesOf: Map<string, ActivityView[]>
  /** The hint of each competency. */
  readonly hintOf: Map<string, HintView>
  /** Competencies of each domain, in order. */
  readonly competenciesOf: Map<string, CompetencyView[]>

  constructor (readonly version: VersionRecord, readonly records: VersionRecords, urls: Urls) {
    const domains = new Map(records.domain.map((d) => [d.id, d]))
    const competencies = new Map(records.competency.map((c) => [c.id, c]))
    const domainOf = (id: string): DomainRecord => must(domains.get(id), 'domain', id)
    const competencyOf = (id: string): CompetencyRecord => must(competencies.get(id), 'competency', id)

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

/** Snapshots by version, built on first use. The set of versions is fixed, so this stays bounded. */
export class Snapshots {
  private readonly byKey = new Map<number, VersionSnapshot>()

  constructor (private readonly repo: Repository, private readonly urls: Urls) {}

  get (v: VersionRecord): VersionSnapshot {
    let snapshot = this.byKey.get(v.vkey)
    if (snapshot === undefined) {
      snapshot = new VersionSnapshot(v, readVersion(this.repo, v), this.urls)
      this.byKey.set(v.vkey, snapshot)
    }
    return snapshot
  }
}
