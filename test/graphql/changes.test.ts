/** FrameworkVersion.changes(from:): what changed since another version, over GraphQL. */
import t from 'tap'
import { entityUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

const query = `query ($from: String!) { framework(id: "isp") { version(number: "1.2") { changes(from: $from) {
  from to
  added { type id code uuid before { parent position } after { parent position } fields { field } }
  removed { type id }
  moved { id before { parent position } after { parent position } }
  changed { type id fields { field before after diff { op text } } }
} } } }`

t.test('changes from 1.1 to the fixture 1.2', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const res = await gql(app, query, { variables: { from: '1.1' } })
  t.equal(res.body.errors, undefined)
  const changes = (res.body.data as { framework: { version: { changes: Record<string, unknown> } } }).framework.version.changes
  t.same(changes, {
    from: '1.1',
    to: '1.2',
    added: [{ type: 'activity', id: 'co-learning-a8', code: 'C01.A08', uuid: entityUuid('isp', 'co-learning-a8'), before: null, after: { parent: 'co-learning', position: 8 }, fields: [] }],
    removed: [{ type: 'activity', id: 'brokering-a7' }, { type: 'question', id: 'question-10' }],
    moved: [{ id: 'co-design-a1', before: { parent: 'co-design', position: 1 }, after: { parent: 'co-design', position: 6 } }],
    changed: [
      {
        type: 'principle',
        id: 'be-curious',
        fields: [{
          field: 'description',
          before: (changes.changed as Array<{ fields: Array<{ before: string }> }>)[0]!.fields[0]!.before,
          after: `${(changes.changed as Array<{ fields: Array<{ before: string }> }>)[0]!.fields[0]!.before} (fixture edit)`,
          diff: [{ op: 'equal', text: (changes.changed as Array<{ fields: Array<{ before: string }> }>)[0]!.fields[0]!.before }, { op: 'insert', text: ' (fixture edit)' }]
        }]
      },
      {
        type: 'activity',
        id: 'co-learning-a2',
        fields: [{
          field: 'text',
          before: 'Create spaces for new ideas to emerge.',
          after: 'Create spaces for new ideas to emerge. (fixture edit)',
          diff: [{ op: 'equal', text: 'Create spaces for new ideas to emerge.' }, { op: 'insert', text: ' (fixture edit)' }]
        }]
      }
    ]
  })
  const description = await gql(app, '{ framework(id: "isp") { version(number: "1.1") { principle(id: "be-curious") { description } } } }')
  t.equal((changes.changed as Array<{ fields: Array<{ before: string }> }>)[0]!.fields[0]!.before,
    (description.body.data as { framework: { version: { principle: { description: string } } } }).framework.version.principle.description, 'before is the 1.1 text')
})

t.test('from the same version, and from one that does not exist', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const same = await gql(app, query, { variables: { from: '1.2' } })
  t.match(same.body.data, { framework: { version: { changes: { added: [], removed: [], moved: [], changed: [] } } } })
  const none = await gql(app, query, { variables: { from: '0.9' } })
  t.equal(none.body.errors?.[0]?.extensions?.code, 'NOT_FOUND')
  t.match(none.body.errors?.[0]?.message, /no version "0\.9"/)
  t.same(none.body.errors?.[0]?.path, ['framework', 'version', 'changes'])
})
