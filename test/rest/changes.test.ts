/** GET …/changes: the REST shape of the content diff (test/content/changes.test.ts), against the fixture README. */
import t from 'tap'
import { diffVersions } from '../../src/content/changes.js'
import { Urls } from '../../src/web/urls.js'
import { changesView } from '../../src/rest/views.js'
import { Catalog } from '../../src/catalog/catalog.js'
import { buildApp, openRepository } from '../helpers/app.js'
import { contract, validateComponent } from '../helpers/contract.js'

t.test('GET changes between isp 1.1 and the fixture 1.2, as test/fixtures/seeds/README.md lists them', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const inject = contract(t, app)
  const res = await inject('/v1/frameworks/isp/1.2/changes?from=1.1')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.from, '1.1')
  t.equal(body.to, '1.2')
  const pairs = (list: Array<{ type: string, id: string }>) => list.map((e) => `${e.type}:${e.id}`)
  t.same(pairs(body.added), ['activity:co-learning-a8'])
  t.same(pairs(body.removed), ['activity:brokering-a7', 'question:question-10'])
  t.same(pairs(body.changed), ['principle:be-curious', 'activity:co-learning-a2'])
  t.same(pairs(body.moved), ['activity:co-design-a1'])
  t.same(body.summary, { added: 1, removed: 2, changed: 2, moved: 1 })

  t.equal(body.added[0].parent, 'co-learning')
  t.equal(body.added[0].href, 'http://localhost:3000/v1/frameworks/isp/1.2/activities/co-learning-a8')
  t.equal(body.removed[0].href, 'http://localhost:3000/v1/frameworks/isp/1.1/activities/brokering-a7', 'removed entities link to the version they are in')
  const principle = body.changed[0].fields
  t.same(principle.map((f: { field: string }) => f.field), ['description'])
  t.equal(principle[0].to, `${principle[0].from} (fixture edit)`)
  t.same(principle[0].diff.slice(-1), [{ op: 'insert', text: ' (fixture edit)' }])
  const activity = body.changed[1].fields[0]
  t.equal(activity.from, 'Create spaces for new ideas to emerge.')
  t.equal(activity.to, 'Create spaces for new ideas to emerge. (fixture edit)')
  t.same(body.moved[0].from, { parent: 'co-design', position: 1 })
  t.same(body.moved[0].to, { parent: 'co-design', position: 6 })
  t.same(body.metadata.map((f: { field: string }) => f.field), ['released', 'citation'])
  t.same(body.metadata[0], { field: 'released', from: '2021-09', to: '2022-01', diff: [{ op: 'delete', text: '2021-09' }, { op: 'insert', text: '2022-01' }] })

  const reverse = (await inject('/v1/frameworks/isp/1.1/changes?from=1.2')).json()
  t.same(pairs(reverse.added), ['activity:brokering-a7', 'question:question-10'])
  t.same(pairs(reverse.removed), ['activity:co-learning-a8'])
  t.same(pairs(reverse.moved), ['activity:co-design-a1'])

  const none = (await inject('/v1/frameworks/isp/1.1/changes?from=1.1')).json()
  t.same(none.summary, { added: 0, removed: 0, changed: 0, moved: 0 })
  t.same(none.metadata, [])

  const latest = await inject('/v1/frameworks/isp/latest/changes?from=1.1')
  t.equal(latest.body, res.body, 'latest resolves to 1.2')
})

t.test('the REST shape of sub-point changes: anchored in their activity, in the version described', async (t) => {
  const repo = openRepository(t)
  const version = repo.version('isp', '1.1')!
  const before = { version, records: new Catalog(repo).index(version).records }
  const after = { version: { ...version, number: '2.0' }, records: structuredClone(before.records) }
  const activity = after.records.activity.find((a) => a.id === 'communication-a1')!
  const removed = activity.subpoints.pop()!
  activity.subpoints[0]!.text = 'Edited.'
  after.records.principle[0]!.description = `${after.records.principle[0]!.description} More.`
  const view = changesView(new Urls('https://api.example'), 'isp', diffVersions(before, after))
  t.same(validateComponent('Changes', view), [], 'a Changes document')
  t.same(view.removed, [{
    type: 'subpoint', id: removed.id, code: removed.code, uri: `https://api.example/uri/${removed.uuid}`,
    href: `https://api.example/v1/frameworks/isp/1.1/activities/communication-a1#${removed.id}`, parent: 'communication-a1'
  }], 'a removed sub-point links to its activity in the version it was in')
  const edited = view.changed.find((c) => c.type === 'subpoint')!
  t.equal(edited.href, 'https://api.example/v1/frameworks/isp/2.0/activities/communication-a1#communication-a1-s1')
  t.same(edited.fields.map((f) => [f.field, f.to]), [['text', 'Edited.']])
  t.same(view.changed.map((c) => `${c.type}:${c.id}`), [`principle:${after.records.principle[0]!.id}`, 'activity:communication-a1', 'subpoint:communication-a1-s1'])
  t.notOk('parent' in view.changed[0]!, 'top-level entities have no parent')
  t.same(view.summary, { added: 0, removed: 1, changed: 3, moved: 0 })
})
