/** `npm start` builds only when the build inputs changed (scripts/build-stamp.ts). */
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildInputs, inputsHash, isFresh, writeStamp } from '../../scripts/build-stamp.js'
import { bundleFiles } from '../../scripts/bundle.js'
import { projectRoot } from '../../src/paths.js'
import { tempDir } from '../helpers/app.js'

t.test('fresh only when a bundle is there and was stamped from the inputs as they are', async (t) => {
  const root = tempDir()
  const out = join(root, 'dist')
  mkdirSync(join(root, 'src', 'web'), { recursive: true })
  mkdirSync(out)
  const source = join(root, 'src', 'web', 'a.ts')
  writeFileSync(source, 'export const a = 1\n')
  writeFileSync(join(root, 'package-lock.json'), '{}\n')
  t.notOk(isFresh(root, out), 'nothing built yet')
  const { launcher, server } = bundleFiles(out)
  writeFileSync(launcher, '')
  writeFileSync(server, '')
  t.notOk(isFresh(root, out), 'a bundle, but no stamp')
  writeStamp(root, out)
  t.ok(isFresh(root, out), 'stamped')

  utimesSync(source, new Date(), new Date(Date.now() + 60_000))
  t.ok(isFresh(root, out), 'a newer mtime with the same bytes (a checkout) needs no build')
  writeFileSync(source, 'export const a = 2\n')
  t.notOk(isFresh(root, out), 'an edited source needs a build')
  writeStamp(root, out)
  writeFileSync(join(root, 'src', 'web', 'b.ts'), '')
  t.notOk(isFresh(root, out), 'a new file needs a build')
  writeStamp(root, out)
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n')
  t.notOk(isFresh(root, out), 'a changed lock needs a build')
  writeStamp(root, out)
  writeFileSync(join(out, 'build-stamp.json'), 'not json')
  t.notOk(isFresh(root, out), 'an unreadable stamp needs a build')
})

t.test('the hash covers the project\'s build inputs, and npm start checks it before building', async (t) => {
  t.match(inputsHash(), /^[0-9a-f]{64}$/)
  t.ok(buildInputs.includes('src') && buildInputs.includes('package-lock.json'))
  const scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
  t.match(scripts.start, /^node dist\/scripts\/build-stamp\.js .*\|\| npm run build && node (--\S+ )*dist\/server\.mjs$/)
  t.match(scripts.build, /node dist\/scripts\/build-stamp\.js --write$/, 'the build stamps what it built')
})
