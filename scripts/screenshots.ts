/**
 * npm run screenshots: the README's pictures of the explorer and the picker (docs/*.png), taken in
 * Debian's Chromium from the bundled guide served on a loopback port. Not run by the tests.
 */
import { join } from 'node:path'
import { build } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { bundledSeedsDir, projectRoot } from '../src/paths.js'
import { buildDatabase } from '../src/store/build.js'
import { chromiumPath, freePort, launchBrowser } from '../test/helpers/browser.js'
import { tempDir } from '../test/helpers/app.js'
import { existsSync } from 'node:fs'

if (!existsSync(chromiumPath)) {
  process.stderr.write(`Chromium is missing at ${chromiumPath}: apt-get install chromium\n`)
  process.exit(1)
}

const closers: Array<() => unknown> = []
const teardown = { teardown: (fn: () => unknown) => { closers.unshift(fn) } }
try {
  const dbPath = join(tempDir(), 'content.db')
  buildDatabase({ roots: [bundledSeedsDir], dbPath })
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const app = await build({ config: loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent', PUBLIC_URL: origin }) })
  closers.unshift(() => app.close())
  await app.listen({ port, host: '127.0.0.1' })
  const browser = await launchBrowser(teardown)
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
