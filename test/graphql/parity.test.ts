/**
 * Parity: every principle, competency, activity and hint GraphQL returns equals what the
 * repository holds for the same version (REST serves the same records; the REST comparison is
 * added beside this one once both are merged).
 */
import t from 'tap'
import type { ActivityRecord, CompetencyRecord, HintRecord, PrincipleRecord } from '../../src/content/model.js'
import { statementsToMarkdown } from '../../src/content/markdown.js'
import { buildApp } from '../helpers/app.js'
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
}
