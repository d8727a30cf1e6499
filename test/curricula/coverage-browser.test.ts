/**
 * The coverage page and the SVG heatmap in Chromium: a person posts the form with a read key and
 * gets the heatmap and the gaps with no axe violations, console errors or CSP violations; the SVG
 * served by the API renders as an SVG document under the API's own policy.
 */
import t from 'tap'
import { createKey } from '../../src/curricula/keys.js'
import { axeViolations, browserGate, describeViolations, launchBrowser, listeningApp, watchErrors } from '../helpers/browser.js'
import { exampleCurriculum } from '../helpers/coverage.js'

const skip = browserGate(t)

t.test('coverage in Chromium', { skip, timeout: 180_000 }, async (t) => {
  const { app, origin } = await listeningApp(t)
  const institution = await app.curricula.createInstitution('Browser University')
  const write = (await createKey(app.curricula, institution.id, 'write')).key
  const read = (await createKey(app.curricula, institution.id, 'read')).key
  const id = await exampleCurriculum(app, write)
  const browser = await launchBrowser(t)
  const page = await browser.newPage()
  const errors = watchErrors(page)
  // Chromium asks for /favicon.ico on its own (no page event shows it) and logs its 404 against the
  // page: every response the pages asked for is checked here instead.
  const failed: string[] = []
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`) })
  const real = (list: string[]): string[] => list.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e))
  t.teardown(() => page.close())

  await page.goto(`${origin}/curricula/coverage`)
  const formViolations = await axeViolations(page)
  t.same(formViolations.map((v) => v.id), [], `axe: the form\n${describeViolations(formViolations)}`)
  await page.getByLabel('Curriculum id').fill(id)
  await page.getByLabel('API key').fill(read)
  await page.getByLabel('Show key activities too').check()
  await page.getByRole('button', { name: 'Show coverage' }).click()
  await page.locator('h1', { hasText: 'Coverage: MSc Implementation Practice' }).waitFor()
  t.equal(page.url(), `${origin}/curricula/coverage`, 'the key is in no address')
  t.equal(await page.locator('figure.heatmap svg[role=img]').count(), 1, 'the heatmap')
  t.equal(await page.locator('figure.heatmap svg rect > title').count(), 130 * 4, 'a labelled cell per row × course')
  t.equal(await page.getByRole('img', { name: 'Coverage of isp 1.1 by MSc Implementation Practice' }).count(), 1, 'the picture has its accessible name')
  t.ok(await page.getByRole('heading', { name: 'Gaps' }).isVisible(), 'and the gaps')
  const box = await page.locator('figure.heatmap svg').boundingBox()
  t.ok(box !== null && box.width > 500 && box.height > 1000, 'it is drawn at its size')
  const violations = await axeViolations(page)
  t.same(violations.map((v) => v.id), [], `axe: the report\n${describeViolations(violations)}`)

  const svgPage = await browser.newPage()
  t.teardown(() => svgPage.close())
  const svgErrors = watchErrors(svgPage)
  await svgPage.setExtraHTTPHeaders({ authorization: `Bearer ${read}` })
  const response = await svgPage.goto(`${origin}/v1/curricula/${id}/coverage?format=svg`)
  t.equal(response?.status(), 200)
  t.equal(await svgPage.evaluate(() => (globalThis as any).document.documentElement.namespaceURI), 'http://www.w3.org/2000/svg', 'Chromium parses it as an SVG document')
  t.equal(await svgPage.evaluate(() => (globalThis as any).document.querySelectorAll('parsererror').length), 0, 'with no XML errors')
  t.equal(await svgPage.evaluate(() => (globalThis as any).document.querySelectorAll('rect > title').length), 15 * 4)
  t.same(real(svgErrors), [], 'no console errors or CSP violations on the SVG')
  t.same(real(errors), [], 'no console errors or CSP violations on the pages')
  t.same(failed, [], 'and every resource they asked for was there')
})
