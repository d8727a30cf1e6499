/**
 * The layers' import direction (ARCHITECTURE.md) is an ESLint rule, so `npm test` fails on a
 * wrong-way import. These cases prove the rule fires, and that the tree obeys it.
 */
import t from 'tap'
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { projectRoot } from '../../src/paths.js'

const eslint = new ESLint({ cwd: projectRoot })

async function errorsFor (file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(projectRoot, file) })
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message)
}

t.test('a layer may import from the layers below it', async (t) => {
  t.same(await errorsFor('src/rest/x.ts', "import { a } from '../web/problem.js'\nimport { b } from '../catalog/catalog.js'\nexport const c = [a, b]\n"), [])
  t.same(await errorsFor('src/catalog/x.ts', "import { a } from '../store/repository.js'\nexport const c = a\n"), [])
})

t.test('the curricula coverage page may use the explorer\'s frame and templates, and nothing else of it', async (t) => {
  t.same(await errorsFor('src/curricula/x.ts', "import { a } from '../pages/html.js'\nimport { b } from '../pages/layout.js'\nexport const c = [a, b]\n"), [])
  t.equal((await errorsFor('src/curricula/x.ts', "import { a } from '../pages/views.js'\nexport const c = a\n")).length, 1)
  t.equal((await errorsFor('src/pages/x.ts', "import { a } from '../curricula/coverage-page.js'\nexport const c = a\n")).length, 1)
  t.equal((await errorsFor('src/rest/x.ts', "import { a } from '../pages/html.js'\nexport const c = a\n")).length, 1)
})

t.test('importing upwards, across transports or from the process is refused', async (t) => {
  const cases: Array<[string, string]> = [
    ['src/content/x.ts', '../store/repository.js'],
    ['src/store/x.ts', '../catalog/catalog.js'],
    ['src/catalog/x.ts', '../formats/case.js'],
    ['src/formats/x.ts', '../web/problem.js'],
    ['src/web/x.ts', '../rest/route.js'],
    ['src/web/schemas/x.ts', '../../graphql/schema.js'],
    ['src/rest/x.ts', '../graphql/schema.js'],
    ['src/case/x.ts', '../resolver/uri.js'],
    ['src/graphql/x.ts', '../app.js']
  ]
  for (const [file, spec] of cases) {
    const errors = await errorsFor(file, `import { a } from '${spec}'\nexport const c = a\n`)
    t.equal(errors.length, 1, `${file} importing ${spec}`)
  }
})
