/**
 * npm run screenshots: the README's pictures of the explorer and the picker (docs/*.png), taken in
 * Debian's Chromium from the bundled guide served on a loopback port. Not run by the tests.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { bundledSeedsDir, projectRoot } from '../src/paths.js'
import { buildDatabase } from '../src/store/build.js'
import { chromiumPath, launchChromium } from './chromium.js'
import { createKey } from '../src/curricula/keys.js'

if (!existsSync(chromiumPath)) {
  process.stderr.write(`Chromium is missing at ${chromiumPath}: apt-get install chromium\n`)
  process.exit(1)
}

/** The example curriculum of docs/reports.md, as a courses:import CSV. */
const exampleCourses = [
  'code,title,alignments',
  'IS101,Foundations of implementation,C01:I; C02:I; C06:I; C07:I',
  'IS102,Implementation science methods,C08:I; C08.A02:R; C11:I; C11.A03:R',
  'IS201,Co-design studio,C04:R; C04.A01:M; C05:R; C01:R',
  'IS202,Facilitation and communication,C09:R; C10.A01.S02:R; C10:I; C02:R',
  'IS203,Improvement cycles,C11:M; C06:R; C07.A04:R',
  'IS301,Teams and leadership,C13:R; C15:I; C12:I',
  'IS302,Capstone placement,C01:M; C02:M; C09:M; C05:M; C12:R',
  'IS303,Research elective,'
].join('\n')

const scratch = mkdtempSync(join(tmpdir(), 'isp-screenshots-'))
const closers: Array<() => unknown> = [() => rmSync(scratch, { recursive: true, force: true })]
try {
  const dbPath = join(scratch, 'content.db')
  buildDatabase({ roots: [bundledSeedsDir], dbPath })
  // The permanent URIs on the pages read as the README's examples do (PUBLIC_URL's default).
  const app = await build({ config: loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' }) })
  closers.unshift(() => app.close())
  const origin = await app.listen({ port: 0, host: '127.0.0.1' })
  const browser = await launchChromium(join(scratch, 'profile'))
  closers.unshift(() => browser.close())
  const page = await browser.newPage()
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(projectRoot, 'docs', name) })
    process.stdout.write(`wrote docs/${name}\n`)
  }

  await page.setViewportSize({ width: 1200, height: 900 })
  await page.goto(`${origin}/`)
  await shot('explorer-home.png')
  await page.goto(`${origin}/explore/isp/latest/competencies/co-learning`)
  await shot('explorer-competency.png')
  await page.goto(`${origin}/explore/isp/latest/search?q=trust`)
  await shot('explorer-search.png')

  await page.goto(`${origin}/embed/demo`)
  const picker = page.locator('competency-picker')
  await picker.locator('[role=treeitem]').first().waitFor()
  await page.getByLabel('Course title').fill('Supporting implementation in practice')
  await picker.getByRole('treeitem', { name: /^D1/ }).locator('.row').first().click()
  await picker.getByRole('treeitem', { name: /^C01 / }).locator('.row').first().click()
  await picker.getByRole('treeitem', { name: /^C03 / }).locator('.row').first().click()
  await page.locator('#change-detail').getByText('Alignment').first().waitFor()
  await picker.locator('input').fill('trust')
  await shot('picker.png')

  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${origin}/explore/isp/latest/competencies/co-learning`)
  await shot('explorer-phone.png')

  // docs/reports.md: the coverage heatmap of an example curriculum, as the coverage page shows it.
  const institution = await app.curricula.createInstitution('Example University')
  const { key } = await createKey(app.curricula, institution.id, 'write')
  const headers = { authorization: `Bearer ${key}` }
  const curriculum = (await app.inject({ method: 'POST', url: '/v1/curricula', headers, payload: { name: 'MSc Implementation Practice', framework: 'isp', version: 'latest' } })).json() as { id: string }
  await app.inject({ method: 'POST', url: `/v1/curricula/${curriculum.id}/courses:import`, headers: { ...headers, 'content-type': 'text/csv' }, payload: exampleCourses })
  await page.setViewportSize({ width: 1200, height: 900 })
  await page.goto(`${origin}/curricula/coverage`)
  await page.getByLabel('Curriculum id').fill(curriculum.id)
  await page.getByLabel('API key').fill(key)
  await page.getByRole('button', { name: 'Show coverage' }).click()
  await page.locator('figure.heatmap svg').waitFor()
  await page.locator('figure.heatmap svg').screenshot({ path: join(projectRoot, 'docs', 'coverage-heatmap.png') })
  process.stdout.write('wrote docs/coverage-heatmap.png\n')
} finally {
  for (const close of closers) await close()
}
