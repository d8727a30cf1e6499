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

if (!existsSync(chromiumPath)) {
  process.stderr.write(`Chromium is missing at ${chromiumPath}: apt-get install chromium\n`)
  process.exit(1)
}

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
} finally {
  for (const close of closers) await close()
}
