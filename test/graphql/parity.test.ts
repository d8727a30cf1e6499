/**
 * Parity: every principle, competency, activity and hint GraphQL returns equals what the
 * repository holds for the same version, and equals the REST responses for that version field
 * by field, for every field the two APIs share.
 */
import t from 'tap'
import type { ActivityRecord, CompetencyRecord, HintRecord, PrincipleRecord } from '../../src/content/model.js'
import { statementsToMarkdown } from '../../src/content/markdown.js'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { gql } from '../helpers/graphql.js'

const base = 'http://localhost:3000'
const links = (kind: string, e: { uuid: string, id: string, version: string }) => ({
  uri: `${base}/uri/${e.uuid}`,
  href: `${base}/v1/frameworks/isp/${e.version}/${kind}/${e.id}`
})

const query = `query ($number: String!, $offset: Int!) { framework(id: "isp") { version(number: $number) {
  principles { id code uuid uri href position framework version name description }
  competencies { id code uuid uri href position framework version name domain { id } overview overviewStatements { text items }
    activities { id } hint { id } }
  activities(first: 100, offset: $offset) { id code uuid uri href position framework version text subitems
    subpoints { id code uuid uri position text activity { id } } competency { id } domain { id } }
  hints { id code uuid uri href position framework version text paragraphs competency { id } domain { id } }
} } }`

interface Page { principles: unknown[], competencies: unknown[], activities: unknown[], hints: unknown[] }

type Json = Record<string, any>
const id = (x: Json): string => x.id

/** The fields every entity has in both APIs. */
const identity = (e: Json) => ({ id: e.id, code: e.code, uuid: e.uuid, uri: e.uri, href: e.href, position: e.position, framework: e.framework, version: e.version })

/** Each kind as GraphQL gives it and as REST gives it, reduced to the shared fields under one name. */
type Projection = (entity: Json) => Json
const shared: Record<'principle' | 'competency' | 'activity' | 'hint', { graphql: Projection, rest: Projection }> = {
  principle: {
    graphql: (p: Json) => ({ ...identity(p), name: p.name, description: p.description }),
    rest: (p: Json) => ({ ...identity(p), name: p.name, description: p.description })
  },
  competency: {
    graphql: (c: Json) => ({
      ...identity(c), name: c.name, domain: c.domain.id, overviewMarkdown: c.overview, overview: c.overviewStatements, activities: c.activities.map(id), hint: c.hint.id
    }),
    rest: (c: Json) => ({
      ...identity(c),
      name: c.name,
      domain: c.domain.id,
      overviewMarkdown: c.overviewMarkdown,
      // REST leaves out an empty `items`; GraphQL gives [].
      overview: c.overview.map((s: Json) => ({ text: s.text, items: s.items ?? [] })),
      activities: c.activities.map(id),
      hint: c.hint.id
    })
  },
  activity: {
    graphql: (a: Json) => ({
      ...identity(a),
      text: a.text,
      subitems: a.subitems,
      subpoints: a.subpoints.map((s: Json) => ({ id: s.id, code: s.code, uuid: s.uuid, uri: s.uri, position: s.position, text: s.text, activity: s.activity.id })),
      competency: a.competency.id,
      domain: a.domain.id
    }),
    rest: (a: Json) => ({
      ...identity(a),
      text: a.text,
      subitems: a.subitems,
      subpoints: a.subpoints.map((s: Json) => ({ id: s.id, code: s.code, uuid: s.uuid, uri: s.uri, position: s.position, text: s.text, activity: a.id })),
      competency: a.competency.id,
      domain: a.domain.id
    })
  },
  hint: {
    graphql: (h: Json) => ({ ...identity(h), text: h.text, paragraphs: h.paragraphs, competency: h.competency.id, domain: h.domain.id }),
    rest: (h: Json) => ({ ...identity(h), text: h.text, paragraphs: h.paragraphs, competency: h.competency.id, domain: h.domain.id })
  }
}

for (const number of ['1.1', '1.2']) {
  t.test(`GraphQL and the repository agree on isp@${number}`, async (t) => {
    const app = await buildApp(t, { fixtures: true })
    const v = app.repo.version('isp', number)!
    const pages: Page[] = []
    for (const offset of [0, 100]) {
      const res = await gql(app, query, { variables: { number, offset } })
      t.equal(res.body.errors, undefined)
      pages.push((res.body.data as { framework: { version: Page } }).framework.version)
    }
    const [first, second] = pages as [Page, Page]

    const principles = app.repo.entities('principle').list(v)
    t.same(first.principles, principles.map((p: PrincipleRecord) => ({
      id: p.id, code: p.code, uuid: p.uuid, ...links('principles', p), position: p.position, framework: 'isp', version: number, name: p.name, description: p.description
    })))

    const competencies = app.repo.entities('competency').list(v)
    const activities = app.repo.entities('activity').list(v)
    const hints = app.repo.entities('hint').list(v)
    t.same(first.competencies, competencies.map((c: CompetencyRecord) => ({
      id: c.id,
      code: c.code,
      uuid: c.uuid,
      ...links('competencies', c),
      position: c.position,
      framework: 'isp',
      version: number,
      name: c.name,
      domain: { id: c.domain },
      overview: statementsToMarkdown(c.overview),
      overviewStatements: c.overview.map((s) => ({ text: s.text, items: s.items ?? [] })),
      activities: activities.filter((a) => a.competency === c.id).map((a) => ({ id: a.id })),
      hint: { id: hints.find((h) => h.competency === c.id)!.id }
    })))

    t.equal(activities.length, 115, 'two pages of activities')
    t.same([...first.activities, ...second.activities], activities.map((a: ActivityRecord) => ({
      id: a.id,
      code: a.code,
      uuid: a.uuid,
      ...links('activities', a),
      position: a.position,
      framework: 'isp',
      version: number,
      text: a.text,
      subitems: a.subpoints.map((s) => s.text),
      subpoints: a.subpoints.map((s) => ({ id: s.id, code: s.code, uuid: s.uuid, uri: `${base}/uri/${s.uuid}`, position: s.position, text: s.text, activity: { id: a.id } })),
      competency: { id: a.competency },
      domain: { id: a.domain }
    })))

    t.same(first.hints, hints.map((h: HintRecord) => ({
      id: h.id,
      code: h.code,
      uuid: h.uuid,
      ...links('hints', h),
      position: h.position,
      framework: 'isp',
      version: number,
      text: h.paragraphs.join('\n\n'),
      paragraphs: h.paragraphs,
      competency: { id: h.competency },
      domain: { id: h.domain }
    })))
  })

  t.test(`GraphQL and REST agree on isp@${number}, field by field`, async (t) => {
    const app = await buildApp(t, { fixtures: true })
    const inject = contract(t, app)
    const graphql: Page[] = []
    for (const offset of [0, 100]) graphql.push(((await gql(app, query, { variables: { number, offset } })).body.data as { framework: { version: Page } }).framework.version)
    const [first, second] = graphql as [Page, Page]
    const rest = async (path: string): Promise<Json[]> => {
      const items: Json[] = []
      for (let offset = 0; ; offset += 100) {
        const res = await inject(`/v1/frameworks/isp/${number}/${path}${path.includes('?') ? '&' : '?'}limit=100&offset=${offset}`)
        t.equal(res.statusCode, 200, path)
        const body = res.json() as { data: Json[], meta: { total: number } }
        items.push(...body.data)
        if (items.length >= body.meta.total) return items
      }
    }
    const pairs: Array<[keyof typeof shared, unknown[], Json[]]> = [
      ['principle', first.principles, await rest('principles')],
      ['competency', first.competencies, await rest('competencies?include=activities,hint')],
      ['activity', [...first.activities, ...second.activities], await rest('activities')],
      ['hint', first.hints, await rest('hints')]
    ]
    for (const [kind, fromGraphql, fromRest] of pairs) {
      t.ok(fromRest.length > 0)
      t.equal(fromGraphql.length, fromRest.length, `${kind}: as many in both`)
      t.same((fromGraphql as Json[]).map(shared[kind].graphql), fromRest.map(shared[kind].rest), `every ${kind}, field by field`)
    }
    for (const c of first.competencies as Json[]) {
      const detail = (await inject(`/v1/frameworks/isp/${number}/competencies/${c.id as string}`)).json() as Json
      t.same(shared.competency.graphql(c), shared.competency.rest(detail), `${c.id as string}: the REST detail too`)
    }
  })
}
