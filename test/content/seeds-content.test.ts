/**
 * Structure of the canonical seeds (`seeds/isp/1.1/`): counts, order, nesting,
 * identifier and code conventions, schema validity and absence of layout artefacts.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { FormatRegistry } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { seedFiles, type VersionSeed } from '../../src/content/schema.js'

// TypeBox checks `format` only for registered formats; register `uri` unless the app already has.
if (!FormatRegistry.Has('uri')) {
  FormatRegistry.Set('uri', value => {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) return false
    try { return Boolean(new URL(value)) } catch { return false }
  })
}

const seedDir = new URL('../../seeds/isp/1.1/', import.meta.url)
const fixtureDir = new URL('../fixtures/seeds/isp/1.2/', import.meta.url)

function readRaw (dir: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(seedFiles)) {
    out[name] = JSON.parse(readFileSync(new URL(name, dir), 'utf8'))
  }
  return out
}

function asSeed (raw: Record<string, unknown>): VersionSeed {
  return {
    framework: raw['framework.json'],
    principles: raw['principles.json'],
    domains: raw['domains.json'],
    competencies: raw['competencies.json'],
    definitions: raw['definitions.json'],
    questions: raw['questions.json'],
    dilemmas: raw['dilemmas.json'],
    resources: raw['resources.json']
  } as VersionSeed
}

const raw = readRaw(seedDir)
const seed = asSeed(raw)

const slugify = (s: string): string => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
const pad = (n: number): string => String(n).padStart(2, '0')

/** Every (id, code) pair of the version, labelled by kind. */
function entities (s: VersionSeed): Array<{ kind: string, id: string, code?: string }> {
  const out: Array<{ kind: string, id: string, code?: string }> = []
  for (const p of s.principles) out.push({ kind: 'principle', id: p.id, code: p.code })
  for (const d of s.domains) out.push({ kind: 'domain', id: d.id, code: d.code })
  for (const c of s.competencies) {
    out.push({ kind: 'competency', id: c.id, code: c.code })
    for (const a of c.activities) {
      out.push({ kind: 'activity', id: a.id, code: a.code })
      for (const sp of a.subpoints ?? []) out.push({ kind: 'sub-point', id: sp.id, code: sp.code })
    }
    out.push({ kind: 'hint', id: c.hint.id, code: c.hint.code })
  }
  for (const d of s.definitions) out.push({ kind: 'definition', id: d.id, code: d.code })
  for (const q of s.questions) out.push({ kind: 'question', id: q.id, code: q.code })
  for (const d of s.dilemmas.dilemmas) out.push({ kind: 'dilemma', id: d.id, code: d.code })
  for (const g of s.resources.groups) {
    out.push({ kind: 'resource group', id: g.id })
    for (const r of g.resources) out.push({ kind: 'resource', id: r.id, code: r.code })
  }
  return out
}

/** Every string anywhere in a JSON value, with its path. */
function allStrings (value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]]
  if (Array.isArray(value)) return value.flatMap((v, i) => allStrings(v, `${path}/${i}`))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => allStrings(v, `${path}/${k}`))
  }
  return []
}

t.test('every file validates against its TypeBox schema', async t => {
  for (const [name, schema] of Object.entries(seedFiles)) {
    const data = raw[name]
    const errors = [...Value.Errors(schema, data)].slice(0, 10).map(e => `${e.path}: ${e.message}`)
    t.ok(Value.Check(schema, data), `${name} is valid`, { errors })
  }
})

t.test('framework metadata', async t => {
  const f = seed.framework
  t.equal(f.id, 'isp')
  t.equal(f.version, '1.1', 'version matches the folder name')
  t.equal(f.released, '2021-09')
  t.equal(f.language, 'en-GB')
  t.same(f.authors.map(a => a.name), ['Allison Metz', 'Katie Burke', 'Bianca Albers', 'Laura Louison', 'Leah Bartley'], 'authors in cover order')
  t.same(f.authors.filter(a => a.affiliation !== undefined).map(a => a.name), ['Allison Metz', 'Katie Burke', 'Bianca Albers'], 'affiliations only where the Foreword gives one')
  t.equal(f.publishers.length, 4)
  t.equal(f.derivedFrom, undefined, 'the original version derives from nothing')
})

t.test('counts', async t => {
  t.equal(seed.principles.length, 6, '6 principles')
  t.equal(seed.domains.length, 3, '3 domains')
  t.equal(seed.competencies.length, 15, '15 competencies')
  t.equal(seed.competencies.reduce((n, c) => n + c.activities.length, 0), 115, '115 key activities')
  t.equal(seed.competencies.filter(c => c.hint.paragraphs.length > 0).length, 15, '15 hints')
  t.equal(seed.questions.length, 10, '10 questions')
  t.equal(seed.dilemmas.dilemmas.length, 4, '4 dilemmas')
  t.equal(seed.definitions.length, 21, '21 definitions')
  t.equal(paragraphsOf(seed.dilemmas.introduction), 3, 'dilemmas introduction has 3 paragraphs')
  t.equal(paragraphsOf(seed.dilemmas.conclusion ?? ''), 3, 'dilemmas conclusion has 3 paragraphs')
  t.same(seed.questions.filter(q => q.subquestions).map(q => [q.id, q.subquestions?.length]), [['question-7', 3], ['question-10', 1]], 'questions 7 and 10 have subquestions')
})

function paragraphsOf (md: string): number { return md === '' ? 0 : md.split('\n\n').length }

t.test('competencies: order, domains and activity counts', async t => {
  t.same(seed.domains.map(d => d.id), ['co-creation-and-engagement', 'ongoing-improvement', 'sustaining-change'])
  t.same(seed.competencies.map(c => c.activities.length), [7, 7, 6, 6, 7, 6, 6, 6, 10, 6, 9, 11, 10, 8, 10], 'activities per competency, in guide order')
  const perDomain = seed.domains.map(d => seed.competencies.filter(c => c.domain === d.id).length)
  t.same(perDomain, [5, 6, 4], 'competencies per domain')
  t.same(seed.competencies.map(c => c.domain), [...Array(5).fill('co-creation-and-engagement'), ...Array(6).fill('ongoing-improvement'), ...Array(4).fill('sustaining-change')], 'competencies grouped by domain in domain order')
  t.same(seed.competencies.map(c => c.id), [
    'co-learning', 'brokering', 'addressing-power-differentials', 'co-design', 'tailoring-support',
    'assessing-needs-and-assets', 'understanding-context', 'applying-and-integrating-implementation-frameworks-strategies-and-approaches',
    'facilitation', 'communication', 'conducting-improvement-cycles',
    'growing-and-sustaining-relationships', 'developing-teams', 'building-capacity', 'cultivating-leaders-and-champions'
  ], 'competencies in guide order')
  for (const c of seed.competencies) {
    t.ok(c.overview.length > 0, `${c.id} has an overview`)
    t.ok(c.hint.paragraphs.length > 0, `${c.id} has hint paragraphs`)
  }
  const coLearning = seed.competencies[0]
  t.equal(coLearning?.overview.length, 4, 'co-learning overview: lead-in + 3 bullets')
  t.equal(coLearning?.overview[0]?.text, 'Implementation support practitioners should have the competency to:')
  t.equal(coLearning?.overview[0]?.items, undefined, 'the lead-in carries no items')
  t.equal(coLearning?.activities[0]?.text, 'Understand the system and organisational context and culture.', 'first co-learning activity')
  t.equal(coLearning?.activities.at(-1)?.text, 'Seek other ways to introduce and create readiness for an implementation science informed approach that fits with existing programmes, practices and processes.', 'last co-learning activity')
})

t.test('nested sub-points are kept', async t => {
  const byId = new Map(seed.competencies.map(c => [c.id, c]))
  const communication = byId.get('communication')
  t.equal(communication?.activities[0]?.subpoints?.length, 5, 'communication-a1 has 5 sub-points')
  t.equal(communication?.activities[4]?.subpoints?.length, 2, 'communication-a5 has 2 sub-points')
  const teams = byId.get('developing-teams')
  t.equal(teams?.activities[2]?.subpoints?.length, 6, 'developing-teams-a3 has 6 sub-points')
  const withSubpoints = seed.competencies.flatMap(c => c.activities.filter(a => a.subpoints).map(a => a.id))
  t.same(withSubpoints, ['communication-a1', 'communication-a5', 'developing-teams-a3'], 'only these activities have sub-points')
  const context = byId.get('understanding-context')
  t.ok(context?.overview.some(s => s.items?.length === 3), 'understanding-context overview has a statement with 3 items')
  t.same(byId.get('facilitation')?.overview.map(s => s.items?.length ?? 0), [0, 0, 5], 'facilitation overview nesting')
  t.same(byId.get('growing-and-sustaining-relationships')?.overview.map(s => s.items?.length ?? 0), [0, 0, 0, 2, 2], 'relationships overview nesting')
  t.same(byId.get('developing-teams')?.overview.map(s => s.items?.length ?? 0), [0, 1, 0, 0], 'developing-teams overview nesting')
  t.same(byId.get('building-capacity')?.overview.map(s => s.items?.length ?? 0), [0, 0, 4], 'building-capacity overview nesting')
  t.same(byId.get('cultivating-leaders-and-champions')?.overview.map(s => s.items?.length ?? 0), [0, 0, 0, 2], 'cultivating-leaders overview nesting')
})

t.test('ids and codes follow the conventions', async t => {
  seed.principles.forEach((p, i) => {
    t.equal(p.code, `P${i + 1}`, `${p.id} code`)
    t.equal(p.id, slugify(p.name), `${p.id} id is the slug of its name`)
  })
  seed.domains.forEach((d, i) => t.equal(d.code, `D${i + 1}`, `${d.id} code`))
  const domainIds = new Set(seed.domains.map(d => d.id))
  seed.competencies.forEach((c, i) => {
    const code = `C${pad(i + 1)}`
    t.equal(c.code, code, `${c.id} code`)
    t.equal(c.id, slugify(c.name), `${c.id} id is the slug of its name`)
    t.ok(domainIds.has(c.domain), `${c.id} belongs to a known domain`)
    t.equal(c.hint.id, `${c.id}-hint`, `${c.id} hint id`)
    t.equal(c.hint.code, `${code}.H`, `${c.id} hint code`)
    c.activities.forEach((a, j) => {
      t.equal(a.id, `${c.id}-a${j + 1}`, `${a.id} id`)
      t.equal(a.code, `${code}.A${pad(j + 1)}`, `${a.id} code`)
      a.subpoints?.forEach((sp, k) => {
        t.equal(sp.id, `${a.id}-s${k + 1}`, `${sp.id} id`)
        t.equal(sp.code, `${a.code}.S${pad(k + 1)}`, `${sp.id} code`)
      })
    })
  })
  seed.definitions.forEach((d, i) => t.equal(d.code, `DEF${pad(i + 1)}`, `${d.id} code`))
  seed.questions.forEach((q, i) => {
    t.equal(q.id, `question-${i + 1}`, `question ${i + 1} id`)
    t.equal(q.code, `Q${pad(i + 1)}`, `${q.id} code`)
  })
  seed.dilemmas.dilemmas.forEach((d, i) => {
    t.equal(d.id, `dilemma-${i + 1}`, `dilemma ${i + 1} id`)
    t.equal(d.code, `DL${i + 1}`, `${d.id} code`)
  })
  const resources = seed.resources.groups.flatMap(g => g.resources)
  resources.forEach((r, i) => t.equal(r.code, `R${pad(i + 1)}`, `${r.id} code numbered across all groups`))
  for (const r of resources) {
    if (r.doi !== undefined) t.equal(r.url, `https://doi.org/${r.doi}`, `${r.id} url is its DOI link`)
    if (r.kind === 'link') t.ok(r.url, `${r.id} link has a url`)
  }
})

t.test('ids and codes are unique across the whole version', async t => {
  const all = entities(seed)
  const dup = (xs: string[]): string[] => xs.filter((x, i) => xs.indexOf(x) !== i)
  t.same(dup(all.map(e => e.id)), [], 'no duplicate ids')
  t.same(dup(all.flatMap(e => (e.code === undefined ? [] : [e.code]))), [], 'no duplicate codes')
})

t.test('no layout artefacts in any string', async t => {
  const runningHeads = ['Co-Creation And Engagement Domain', 'Ongoing Improvement Domain', 'Sustaining Change Domain', 'Resources and Further Reading']
  for (const [name, data] of Object.entries(raw)) {
    for (const [path, s] of allStrings(data)) {
      for (const head of runningHeads) t.notOk(s.includes(head), `${name}${path}: no running head "${head}"`)
      t.equal(s, s.trim(), `${name}${path}: no leading or trailing whitespace`)
      t.notOk(/ {2}|\t|\n{3}| \n|\n /.test(s), `${name}${path}: no stray whitespace`)
    }
  }
})

t.test('fixture version 1.2 is a valid seed folder', async t => {
  const fixture = readRaw(fixtureDir)
  for (const [name, schema] of Object.entries(seedFiles)) {
    const errors = [...Value.Errors(schema, fixture[name])].slice(0, 10).map(e => `${e.path}: ${e.message}`)
    t.ok(Value.Check(schema, fixture[name]), `fixture ${name} is valid`, { errors })
  }
  const f = asSeed(fixture)
  t.equal(f.framework.version, '1.2')
  t.equal(f.framework.derivedFrom, undefined)
  const ids = entities(f).map(e => e.id)
  t.equal(new Set(ids).size, ids.length, 'fixture ids are unique')
})
