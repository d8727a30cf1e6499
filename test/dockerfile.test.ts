/**
 * The Dockerfile, checked without a Docker engine: parsed with dockerfile-ast and held against
 * package.json, tsconfig.build.json, .dockerignore, the source tree and the running app.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { DockerfileParser, type Env, type Instruction } from 'dockerfile-ast'
import t from 'tap'
import { projectRoot } from '../src/paths.js'
import { serviceEnv, type BenchPaths } from '../bench/contenders.js'
import { defaultOutfile } from '../scripts/bundle.js'
import { faultServerEnv } from '../scripts/faults.js'
import { loadServerEnv } from '../scripts/load.js'
import { HEAP_OPTIONS } from '../src/launch.js'
import { buildApp } from './helpers/app.js'

const read = (path: string): string => readFileSync(join(projectRoot, path), 'utf8')
const dockerfile = DockerfileParser.parse(read('Dockerfile'))
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> }

interface Stage { name: string | null, image: string, tag: string, instructions: Instruction[] }

/** The instructions grouped by stage. */
function stages (): Stage[] {
  const result: Stage[] = []
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line)!
      result.push({ name: from.getBuildStage(), image: from.getImageName() ?? '', tag: from.getImageTag() ?? '', instructions: [] })
    } else {
      result.at(-1)?.instructions.push(instruction)
    }
  }
  return result
}

const all = stages()
const build = all[0]!
const runtime = all.at(-1)!
const of = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.getKeyword() === keyword)
const args = (i: Instruction): string => (i.getArgumentsContent() ?? '').replace(/\s+/g, ' ').trim()
const flags = (i: Instruction): Record<string, string> =>
  Object.fromEntries((i as unknown as { getFlags: () => Array<{ getName: () => string, getValue: () => string | null }> }).getFlags().map((f) => [f.getName(), f.getValue() ?? '']))
/** The JSON array of an exec-form instruction (CMD, or HEALTHCHECK's CMD), or null for shell form. */
function execForm (text: string): string[] | null {
  try {
    const value = JSON.parse(text) as unknown
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null
  } catch {
    return null
  }
}
/** The commands of a RUN, split on && and ;. */
const commands = (i: Instruction): string[] => args(i).split(/&&|;/).map((c) => c.trim()).filter((c) => c !== '')

/** The npm scripts a command runs, following `npm run x` inside scripts too. */
function scriptsRun (command: string, seen = new Set<string>()): Set<string> {
  for (const match of command.matchAll(/npm run ([\w:-]+)/g)) {
    const name = match[1]!
    if (seen.has(name)) continue
    seen.add(name)
    if (pkg.scripts[name] !== undefined) scriptsRun(pkg.scripts[name], seen)
  }
  return seen
}

t.test('multi-stage: a build stage and a runtime stage that copies from it', async (t) => {
  t.ok(all.length >= 2, 'at least two stages')
  t.ok(build.name, 'the build stage is named')
  const copies = of(runtime, 'COPY')
  t.ok(copies.length > 0)
  for (const copy of copies) {
    t.equal(flags(copy).from, build.name, `runtime takes ${args(copy)} from the build stage, not the build context`)
  }
  t.same(of(runtime, 'RUN').map(args), [], 'the runtime stage installs nothing')
})

t.test('base images: node, major version pinned, slim runtime, the same image in both stages', async (t) => {
  for (const stage of all) {
    t.equal(stage.image, 'node', `${stage.name}: the official node image`)
    t.match(stage.tag, /^20([.-]|$)/, `${stage.name}: Node 20 pinned (tag ${stage.tag})`)
  }
  t.match(runtime.tag, /slim/, 'the runtime image is slim')
  t.equal(build.tag, runtime.tag, 'better-sqlite3 is compiled against the libc and Node ABI it runs on')
})

t.test('build stage: toolchain, npm ci, the npm scripts CI uses, database, prune', async (t) => {
  const runs = of(build, 'RUN').flatMap(commands)
  const apt = runs.find((c) => c.startsWith('apt-get install')) ?? ''
  for (const tool of ['python3', 'make', 'g++']) t.match(apt, new RegExp(`\\s${tool.replace('+', '\\+')}(\\s|$)`), `installs ${tool}`)

  const npm = runs.filter((c) => /^(npm|npx|node|tsc|tsx)\b/.test(c))
  for (const command of npm) {
    t.match(command, /^npm (ci|run [\w:-]+|prune --omit=dev)$/, `"${command}" is npm ci, an npm script or the prune`)
  }
  for (const name of scriptsRun(npm.join(' && '))) t.ok(pkg.scripts[name], `npm script "${name}" exists in package.json`)

  const ci = read('.ci/run')
  t.match(ci, /\bnpm ci\b/, 'CI installs with npm ci')
  const at = (predicate: (c: string) => boolean): number => npm.findIndex(predicate)
  const install = at((c) => c === 'npm ci')
  const prune = at((c) => c === 'npm prune --omit=dev')
  t.ok(install >= 0, 'installs exactly what the lockfile says, as CI does')
  const ran = scriptsRun(npm.join(' && '))
  t.ok(ran.has('build'), 'compiles with npm run build')
  t.ok(ran.has('seed'), 'builds the database with npm run seed')
  const lastScript = Math.max(...npm.map((c, i) => c.startsWith('npm run') ? i : -1))
  t.ok(prune > lastScript && lastScript > install, 'prunes the dev dependencies after building with them')
})

t.test('runtime stage: non-root user, production, port, health check, exec-form CMD of the compiled server', async (t) => {
  const users = of(runtime, 'USER').map(args)
  t.equal(users.length, 1, 'one USER')
  t.notMatch(users[0] ?? 'root', /^(root|0)(:|$)/, 'not root')
  const lineOf = (i: Instruction | undefined): number => i?.getRange().start.line ?? -1
  t.ok(lineOf(of(runtime, 'USER')[0]) < lineOf(of(runtime, 'CMD')[0]), 'USER comes before CMD')

  const env = Object.fromEntries(of(runtime, 'ENV').flatMap((e) => (e as Env).getProperties().map((p) => [p.getName(), p.getValue()])))
  t.equal(env.NODE_ENV, 'production')
  t.equal(env.MALLOC_ARENA_MAX, '2', 'two malloc arenas: less resident memory under load')
  // The load test and the benchmark run the server as the image does.
  t.equal(env.NODE_OPTIONS, HEAP_OPTIONS, 'the heap flags the code cache is written under')
  // The load test, the fault suite and the benchmark run the server as the image does.
  for (const [what, runs] of [['npm run load', loadServerEnv(3000, '/tmp/x.db')], ['npm run faults', faultServerEnv()], ['npm run bench', serviceEnv({ dbPath: '/tmp/x.db' } as BenchPaths, 3000)]] as const) {
    for (const name of ['NODE_ENV', 'MALLOC_ARENA_MAX']) t.equal(runs[name], env[name], `${what}: ${name} as in the image`)
    t.equal(runs.NODE_OPTIONS, HEAP_OPTIONS, `${what}: NODE_OPTIONS as in the image`)
  }
  t.same(of(runtime, 'EXPOSE').map(args), ['3000'])

  const healthcheck = of(runtime, 'HEALTHCHECK')[0]
  t.ok(healthcheck, 'has a HEALTHCHECK')
  const probe = execForm(args(healthcheck!).replace(/^(--\S+\s+)*CMD\s+/, ''))
  t.ok(probe, 'HEALTHCHECK CMD is exec form')
  t.match(probe?.join(' ') ?? '', /\/health\/live/, 'it probes /health/live')
  t.notMatch(probe?.join(' ') ?? '', /curl|wget/, 'it needs no tool the slim image lacks')
  const app = await buildApp(t)
  t.equal((await app.inject('/health/live')).statusCode, 200, '/health/live answers 200')

  t.same(of(runtime, 'ENTRYPOINT'), [], 'no ENTRYPOINT wrapping the server')
  const cmds = of(runtime, 'CMD')
  t.equal(cmds.length, 1)
  const cmd = execForm(args(cmds[0]!))
  t.ok(cmd, 'CMD is exec form, so SIGTERM reaches node with no shell in between')
  t.equal(cmd?.[0], 'node')
  const bundle = relative(projectRoot, defaultOutfile)
  t.equal(cmd?.[1], bundle, 'it runs the bundled server that npm run build writes')
  t.match(pkg.scripts.build ?? '', /node dist\/scripts\/bundle\.js/, 'npm run build bundles')
  t.ok((pkg.scripts.start ?? '').endsWith(`node ${HEAP_OPTIONS} ${bundle}`), 'the same file npm start runs, with the heap flags NODE_OPTIONS gives the image')
})

t.test('runtime stage: only what runs', async (t) => {
  const copied = of(runtime, 'COPY').map((c) => normalize(c.getArguments()[0]!.getValue()).replace(/^\/app\//, ''))
  t.same(copied.sort(), ['data', 'dist', 'node_modules', 'package.json', 'seeds', 'src/pages/assets'].sort(),
    'compiled code, production modules, package.json (ESM type and the project root), seeds, the built database and the pages\' assets')
})

/** Whether .dockerignore patterns exclude a context-relative path (or a folder above it). */
function ignored (patterns: string[], path: string): boolean {
  const parts = path.split('/')
  return patterns.some((pattern) => {
    const source = pattern.split('**').map((piece) =>
      piece.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*')
    const re = new RegExp(`^${source}$`)
    return parts.some((_, i) => re.test(parts.slice(0, i + 1).join('/')))
  })
}

function files (dir: string): string[] {
  const full = join(projectRoot, dir)
  if (!statSync(full).isDirectory()) return [dir]
  return readdirSync(full).flatMap((name) => files(join(dir, name)))
}

t.test('.dockerignore keeps secrets and build output out, and the build inputs in', async (t) => {
  const patterns = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
  t.notOk(patterns.some((p) => p.startsWith('!')), 'no re-inclusions to reason about')
  for (const path of ['node_modules', 'dist', 'data', '.git', 'data/content.db', 'x.db', '.env', 'coverage', '.tap']) {
    t.ok(ignored(patterns, path), `${path} stays out of the build context`)
  }
  const sources = of(build, 'COPY').filter((c) => flags(c).from === undefined).flatMap((c) => c.getArguments().slice(0, -1).map((a) => a.getValue()))
  const inputs = sources.flatMap((s) => files(s))
  t.ok(inputs.length > 10)
  t.same(inputs.filter((f) => ignored(patterns, f)), [], 'no file the build copies is ignored')

  const tsconfig = JSON.parse(read('tsconfig.build.json')) as { include: string[] }
  for (const dir of tsconfig.include) t.ok(sources.includes(dir), `${dir}/ (compiled by npm run build) is copied`)
  const outside = inputs.filter((f) => f.endsWith('.ts')).flatMap((file) => {
    const imports = [...read(file).matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => normalize(join(dirname(file), m[1]!)))
    return imports.filter((target) => !sources.some((s) => target === s || target.startsWith(`${s}/`))).map((target) => `${file} → ${target}`)
  })
  t.same(outside, [], 'the compiled code imports nothing the build does not copy')
  t.ok(existsSync(join(projectRoot, 'package-lock.json')), 'npm ci has its lockfile')
})
