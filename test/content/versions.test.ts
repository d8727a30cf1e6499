import t from 'tap'
import { compareVersions } from '../../src/content/versions.js'

t.test('versions sort numerically, part by part', async (t) => {
  const sorted = ['1.10', '1.2', '1.1', '2.0', '1.2-rc.1', '1.2-rc.10', '1.2-rc.2', '1.1.1', '10.0', '1.2-beta'].sort(compareVersions)
  t.same(sorted, ['1.1', '1.1.1', '1.2-beta', '1.2-rc.1', '1.2-rc.2', '1.2-rc.10', '1.2', '1.10', '2.0', '10.0'])
})

t.test('equal versions compare as 0, and the order is antisymmetric', async (t) => {
  t.equal(compareVersions('1.1', '1.1'), 0)
  t.equal(compareVersions('1.2-rc.1', '1.2-rc.1'), 0)
  t.equal(compareVersions('1.2', '1.10'), -compareVersions('1.10', '1.2'))
})
