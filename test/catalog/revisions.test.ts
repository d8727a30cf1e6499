/** Published identity across versions, against the fixture README's list of edits. */
import t from 'tap'
import { entityUuid } from '../../src/content/ids.js'
import type { VersionRecord, VersionRecords } from '../../src/content/model.js'
import { Catalog } from '../../src/catalog/catalog.js'
import { revisionHistory, revisionUuid } from '../../src/catalog/revisions.js'
import { openRepository } from '../helpers/app.js'

interface Published { version: VersionRecord, records: VersionRecords }

function history (): Published[] {
  return new Catalog(openRepository(t, true)).history('isp').map(({ version, records }) => ({ version, records }))
}

t.test('isp@1.2: exactly the edited texts get new identifiers', async (t) => {
  const [v11, v12] = revisionHistory(history())
  t.ok(v11 !== undefined && v12 !== undefined)
  const changed = [...(v12 ?? [])].filter(([uuid, r]) => r.identifier !== uuid)
  t.same(changed.map(([uuid]) => uuid).sort(), [entityUuid('isp', 'be-curious'), entityUuid('isp', 'co-learning-a2')].sort(),
    'the fixture edits two texts (be-curious, co-learning-a2); moves, additions and removals keep identities')
  const a2 = v12?.get(entityUuid('isp', 'co-learning-a2'))
  t.equal(a2?.identifier, revisionUuid(entityUuid('isp', 'co-learning-a2'), '1.2'))
  t.equal(a2?.replaces, entityUuid('isp', 'co-learning-a2'))
  t.equal(a2?.since.number, '1.2')
  t.equal(v12?.get(entityUuid('isp', 'co-learning-a1'))?.since.number, '1.1', 'unchanged: published since 1.1')
  t.ok([...(v11 ?? [])].every(([uuid, r]) => r.identifier === uuid && r.replaces === undefined), 'the first version publishes every entity under its uuid')
})

t.test('a later version keeps a changed text\'s new identifier; a restored text gets its old one back', async (t) => {
  const [v11, v12] = history() as [Published, Published]
  const v13: Published = { ...v12, version: { ...v12.version, vkey: -13, number: '1.3', released: '2023-01' } as VersionRecord }
  const restored = v11.records.activity.find((a) => a.id === 'brokering-a7')
  t.ok(restored)
  const v14: Published = { version: { ...v13.version, vkey: -14, number: '1.4' }, records: { ...v13.records, activity: [...v13.records.activity, restored as NonNullable<typeof restored>] } }
  const views = revisionHistory([v11, v12, v13, v14])
  const a2 = entityUuid('isp', 'co-learning-a2')
  t.equal(views[2]?.get(a2)?.identifier, revisionUuid(a2, '1.2'), '1.3 keeps the 1.2 identifier')
  t.equal(views[2]?.get(a2)?.since.number, '1.2')
  t.equal(views[3]?.get(entityUuid('isp', 'brokering-a7'))?.identifier, entityUuid('isp', 'brokering-a7'), 'restored with the same text: the same identifier')
})
