/**
 * The explorer, the picker, /docs and /graphiql in Chromium: a reader's walk, search, the version
 * switcher and /uri/{uuid}; the picker with the mouse and with the keyboard alone, its form value and its restore on going back,
 * change event, iframe messages and styling from a host page on another origin; axe-core on every page type; no console errors or CSP
 * violations anywhere.
 */
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { axeViolations, browserGate, describeViolations, hostPage, launchBrowser, listeningApp, watchErrors } from '../helpers/browser.js'

const skip = browserGate(t)

t.test('in Chromium', { skip, timeout: 240_000 }, async (t) => {
  const { origin } = await listeningApp(t)
  const browser = await launchBrowser(t)
  const page = await browser.newPage()
  const errors = watchErrors(page)
  t.teardown(() => page.close())

  async function accessible (t: Test, what: string, p: Page = page): Promise<void> {
    const violations = await axeViolations(p)
    t.same(violations.map((v) => v.id), [], `axe: no violations on ${what}\n${describeViolations(violations)}`)
  }

  t.test('every page type has no axe violations', async (t) => {
    const pages: Array<[string, string]> = [
      ['home', '/'],
      ['contents', '/explore/isp/1.1'],
      ['principle', '/explore/isp/1.2/principles/be-empathetic'],
      ['domain', '/explore/isp/1.2/domains/co-creation-and-engagement'],
      ['competency', '/explore/isp/1.2/competencies/co-learning'],
      ['glossary', '/explore/isp/1.2/definitions'],
      ['reflective questions', '/explore/isp/1.2/questions'],
      ['dilemmas', '/explore/isp/1.2/dilemmas'],
      ['resources', '/explore/isp/1.2/resources'],
      ['search results', '/explore/isp/1.2/search?q=trust'],
      ['search error', '/explore/isp/1.2/search?q=%22'],
      ['changes', '/explore/isp/1.2/changes?from=1.1'],
      ['not found', '/explore/isp/9.9'],
      ['picker demo', '/embed/demo']
    ]
    for (const [what, path] of pages) {
      await page.goto(origin + path)
      if (what === 'picker demo') await page.locator('competency-picker [role=treeitem]').first().waitFor()
      await accessible(t, what)
    }
  })

  t.test('a reader walks from the home page to a competency and back', async (t) => {
    await page.goto(`${origin}/`)
    t.equal(await page.locator('h1').innerText().then((x) => x.startsWith('A Practice Guide to Supporting Implementation')), true, 'the home page names the guide')
    t.ok(await page.locator('.citation').count(), 'and gives its citation')
    await page.getByRole('link', { name: 'C01 Co-learning' }).first().click()
    await page.waitForURL(`${origin}/explore/isp/1.2/competencies/co-learning`)
    t.match(await page.locator('h1').innerText(), /C01\s+Co-learning/, 'the competency page')
    t.ok(await page.locator('ol.activities > li').count() > 3, 'with its key activities')
    t.ok(await page.locator('.use-panel').getByText('Permanent URI').count(), 'and the panel with its identifiers')
    await page.goBack()
    t.equal(page.url(), `${origin}/`, 'back on the home page')
  })

  t.test('search finds a key activity and highlights the words', async (t) => {
    await page.goto(`${origin}/explore/isp/1.2`)
    await page.getByRole('searchbox', { name: 'Search the guide' }).fill('trust')
    await page.getByRole('searchbox', { name: 'Search the guide' }).press('Enter')
    await page.waitForURL(/\/explore\/isp\/1\.2\/search\?q=trust$/)
    t.ok(await page.locator('.results mark').count() > 0, 'matched words are marked')
    const first = page.locator('.results .result-title a').first()
    const title = await first.innerText()
    await first.click()
    await page.waitForURL(/\/explore\/isp\/1\.2\//)
    t.ok(title.length > 0 && page.url() !== `${origin}/explore/isp/1.2/search?q=trust`, `the first result (${title}) opens its page`)
    await page.goto(`${origin}/explore/isp/1.2/search?q=trust`)
    await page.locator('#q-page').fill('dilemma')
    await page.waitForFunction(() => (globalThis as any).document.querySelector('.result-count')?.textContent.includes('for dilemma'))
    t.match(page.url(), /\?q=dilemma$/, 'with JavaScript, results follow the typing')
  })

  t.test('the version switcher keeps the page', async (t) => {
    await page.goto(`${origin}/explore/isp/1.2/competencies/co-learning`)
    await page.getByLabel('Version').selectOption('1.1')
    await page.getByRole('button', { name: 'Switch' }).click()
    await page.waitForURL(`${origin}/explore/isp/1.1/competencies/co-learning`)
    t.match(await page.locator('.version-tag').innerText(), /1\.1/, 'the same competency in 1.1')
    await page.goto(`${origin}/explore/isp/1.2/changes?from=1.1`)
    t.ok(await page.locator('.diff ins, .diff del').count() > 0, 'the changes page shows insertions and deletions')
  })

  t.test('a phone-sized screen and print', async (t) => {
    const phone = await browser.newPage()
    const phoneErrors = watchErrors(phone)
    t.teardown(() => phone.close())
    await phone.setViewportSize({ width: 360, height: 740 })
    for (const path of ['/', '/explore/isp/1.2/competencies/co-learning', '/explore/isp/1.2/changes', '/embed/demo']) {
      await phone.goto(origin + path)
      const width = await phone.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)
      t.ok(width <= 360, `${path} fits a 360 px screen (${width} px wide)`)
    }
    t.same(phoneErrors, [], 'no console errors on the phone')
    await page.goto(`${origin}/explore/isp/1.2/competencies/co-learning`)
    await page.emulateMedia({ media: 'print' })
    t.notOk(await page.locator('.site-header').isVisible(), 'printed, the header is left out')
    t.notOk(await page.locator('.use-panel').isVisible(), 'and the identifiers panel')
    t.ok(await page.locator('ol.activities').isVisible(), 'the key activities are printed')
    await page.emulateMedia({ media: 'screen' })
  })

  t.test('a permanent URI opens the page in a browser', async (t) => {
    const { uuid } = await (await fetch(`${origin}/v1/frameworks/isp/1.2/activities/co-learning-a2`)).json() as { uuid: string }
    // The version that published the text this identifier names.
    const resolved = await (await fetch(`${origin}/uri/${uuid}`)).json() as { version: string }
    await page.goto(`${origin}/uri/${uuid}`)
    t.equal(page.url(), `${origin}/explore/isp/${resolved.version}/competencies/co-learning#C01.A02`, 'the key activity on its competency\'s page')
    t.ok(await page.locator('[id="C01.A02"]').isVisible(), 'and it is shown')
  })

  t.test('the picker with the mouse: form value, change event, submission', async (t) => {
    await page.goto(`${origin}/embed/demo`)
    const picker = page.locator('competency-picker')
    await picker.locator('[role=treeitem]').first().waitFor()
    await page.getByLabel('Course title').fill('Implementation support 101')
    await picker.getByRole('treeitem', { name: /D1/ }).locator('.row').first().click()
    const competency = picker.getByRole('treeitem', { name: /^C01 Co-learning/ })
    await competency.locator('.row').first().click()
    t.equal(await competency.getAttribute('aria-selected'), 'true', 'the clicked competency is selected')
    await page.waitForFunction(() => (globalThis as any).document.getElementById('change-detail').textContent.includes('Alignment'))
    const detail = JSON.parse(await page.locator('#change-detail').innerText())
    t.equal(detail.selection.length, 1, 'the change event gives the selection')
    t.match(detail.selection[0], { code: 'C01', name: 'Co-learning', type: 'competency', uri: /\/uri\//, alignment: { type: ['Alignment'], targetCode: 'C01', targetType: 'CFItem' } }, 'with code, name, URI and the OB3 alignment')
    t.equal(await picker.locator('[part=chip]').count(), 1, 'shown as a chip')
    await competency.locator('.row .twisty').first().click()
    await picker.getByRole('treeitem', { name: /^C01\.A02/ }).click()
    t.equal(await picker.evaluate((el: any) => el.value.split(',').length), 2, 'a key activity too (multiple)')
    await picker.getByRole('button', { name: /^Remove C01\.A02/ }).click()
    t.equal(await picker.evaluate((el: any) => el.value), detail.selection[0].uuid, 'a chip removes its item')
    await page.getByRole('button', { name: 'Save course' }).click()
    await page.waitForURL(/competencies=/)
    const url = new URL(page.url())
    t.same(url.searchParams.getAll('competencies'), [detail.selection[0].uuid], 'the form submits the uuid under the picker\'s name')
    t.match(await page.locator('#submitted-competencies').innerText(), /C01 Co-learning/, 'the demo shows what was submitted')
  })

  t.test('the picker with the keyboard alone; required; reset', async (t) => {
    await page.goto(`${origin}/embed/demo`)
    const picker = page.locator('competency-picker')
    await picker.locator('[role=treeitem]').first().waitFor()
    await page.getByLabel('Course title').fill('Keyboard course')
    await page.getByRole('button', { name: 'Save course' }).click()
    t.equal(await picker.evaluate((el: any) => el.validity.valueMissing), true, 'required: nothing chosen is invalid')
    t.notMatch(page.url(), /title=/, 'and the form is not submitted')
    await page.getByLabel('Course title').focus()
    await page.keyboard.press('Tab')
    await page.keyboard.type('Co-learn')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    t.equal(await picker.locator('[part=chip]').count(), 1, 'the combobox picks with Down and Enter')
    // Into the tree: Tab moves on to it; Right opens a domain, Down moves, Space picks.
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => (globalThis as any).document.activeElement.shadowRoot?.activeElement?.getAttribute('role')), 'treeitem', 'Tab reaches the tree')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press(' ')
    t.equal(await picker.locator('[part=chip]').count(), 2, 'Space picks the focused competency')
    t.match(await picker.locator('[part=chip]').nth(1).innerText(), /^C02/, 'the second competency of the first domain')
    await page.getByRole('button', { name: 'Save course' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/competencies=/)
    t.equal(new URL(page.url()).searchParams.getAll('competencies').length, 2, 'both are submitted')
    await page.goto(`${origin}/embed/demo`)
    await picker.locator('[role=treeitem]').first().waitFor()
    await picker.evaluate((el: any) => { el.value = [...el.shadowRoot.querySelectorAll('[data-uuid]')].slice(0, 2).map((x: any) => x.dataset.uuid).join(',') })
    t.equal(await picker.locator('[part=chip]').count(), 2, 'value can be set')
    await page.getByRole('button', { name: 'Reset' }).click()
    t.equal(await picker.evaluate((el: any) => el.value), '', 'reset clears the picker')
  })

  t.test('the picker\'s state comes back when the reader returns to the form (formStateRestoreCallback)', async (t) => {
    const restoring = await browser.newPage()
    t.teardown(() => restoring.close())
    // Records the element's restore calls, so that a page kept whole by the back/forward cache cannot pass for a restore.
    await restoring.addInitScript(() => {
      const w = globalThis as any
      w.restored = []
      const define = w.customElements.define.bind(w.customElements)
      w.customElements.define = (name: string, cls: any, options: unknown) => {
        const original = cls.prototype.formStateRestoreCallback
        cls.prototype.formStateRestoreCallback = function (state: unknown, mode: unknown) { w.restored.push([state, mode]); return original.call(this, state, mode) }
        return define(name, cls, options)
      }
    })
    await restoring.goto(`${origin}/embed/demo`)
    const picker = restoring.locator('competency-picker')
    await picker.locator('[role=treeitem]').first().waitFor()
    await restoring.getByLabel('Course title').fill('Restored course')
    await picker.evaluate((el: any) => { el.value = [...el.shadowRoot.querySelectorAll('[data-uuid]')].slice(0, 2).map((x: any) => x.dataset.uuid).join(',') })
    const chosen = await picker.evaluate((el: any) => el.value) as string
    t.equal(chosen.split(',').length, 2)
    await restoring.getByRole('button', { name: 'Save course' }).click()
    await restoring.waitForURL(/competencies=/)
    await restoring.goBack()
    await picker.locator('[role=treeitem]').first().waitFor()
    await restoring.waitForFunction(() => (globalThis as any).restored.length > 0)
    t.same(await restoring.evaluate(() => (globalThis as any).restored), [[chosen, 'restore']], 'the browser hands the element its saved state')
    t.equal(await picker.evaluate((el: any) => el.value), chosen, 'and the selection is back')
    t.equal(await picker.locator('[part=chip]').count(), 2, 'shown as chips')
  })

  t.test('a host page on another origin embeds the picker and styles it with custom properties and ::part', async (t) => {
    const host = await hostPage(t, () => `<!doctype html><html lang="en"><title>LMS course form</title>
<style>competency-picker { --picker-accent: rgb(10, 20, 30); } competency-picker::part(search) { border-color: rgb(200, 0, 0); } competency-picker::part(label) { letter-spacing: 3px; }</style>
<main><form><competency-picker name="c" label="Competencies" base="${origin}"></competency-picker></form></main>
<script type="module" src="${origin}/embed/competency-picker.js"></script></html>`)
    const styled = await browser.newPage()
    t.teardown(() => styled.close())
    await styled.goto(`${host}/course`)
    const picker = styled.locator('competency-picker')
    await picker.locator('[role=treeitem]').first().waitFor()
    t.equal(await picker.evaluate((el: any) => (globalThis as any).getComputedStyle(el.shadowRoot.querySelector('[part=search]')).borderTopColor), 'rgb(200, 0, 0)', '::part(search) reaches the search box')
    t.equal(await picker.evaluate((el: any) => (globalThis as any).getComputedStyle(el.shadowRoot.querySelector('[part=label]')).letterSpacing), '3px', '::part(label) reaches the label')
    await picker.getByRole('treeitem', { name: /D1/ }).locator('.row').first().click()
    await picker.getByRole('treeitem', { name: /^C01 Co-learning/ }).locator('.row').first().click()
    t.equal(await picker.locator('[part=chip]').first().evaluate((el: any) => (globalThis as any).getComputedStyle(el).backgroundColor), 'rgb(10, 20, 30)', '--picker-accent colours the chips')
  })

  t.test('a picker pinned to 1.1 that picks one key activity: levels, single choice and the activity in its change event', async (t) => {
    const host = await hostPage(t, () => `<!doctype html><html lang="en"><title>LMS activity form</title>
<main><form><competency-picker name="activity" levels="activity" version="1.1" base="${origin}"></competency-picker></form></main>
<script>window.changes = []; document.addEventListener('change', (e) => { if (e.target.localName === 'competency-picker') window.changes.push(e.detail) })</script>
<script type="module" src="${origin}/embed/competency-picker.js"></script></html>`)
    const single = await browser.newPage()
    t.teardown(() => single.close())
    await single.goto(`${host}/activity`)
    const picker = single.locator('competency-picker')
    await picker.locator('[role=treeitem]').first().waitFor()
    await picker.locator('[part=search]').fill('trust')
    const options = await picker.locator('[role=option]').allInnerTexts()
    t.ok(options.length > 0 && options.every((o) => /^C\d{2}\.A\d{2} /.test(o)), `levels="activity": only key activities are offered (${options.length})`)
    await picker.locator('[part=search]').fill('C02.A07')
    await picker.locator('[role=option]').first().click()
    t.equal(await picker.locator('[part=chip]').count(), 1, 'C02.A07, which 1.2 removed, is offered: the picker reads the pinned version')
    await picker.locator('[part=search]').fill('C01.A02')
    await picker.locator('[role=option]').first().click()
    t.equal(await picker.locator('[part=chip]').count(), 1, 'without multiple, a second pick replaces the first')
    t.match(await picker.locator('[part=chip]').first().innerText(), /^C01\.A02/)
    await single.waitForFunction(() => (globalThis as any).changes.length >= 2)
    const last = (await single.evaluate(() => (globalThis as any).changes)).at(-1)
    t.match(last, { value: [/^[0-9a-f-]{36}$/], selection: [{ code: 'C01.A02', type: 'activity', text: /\w/, uri: /\/uri\//, alignment: { targetCode: 'C01.A02' } }] }, 'the change event gives the activity\'s text and alignment')
    t.equal(last.selection.length, 1)
  })

  t.test('the iframe page posts the selection to the named origin', async (t) => {
    const host = await hostPage(t, (hostOrigin) => `<!doctype html><html lang="en"><title>LMS</title><main><iframe title="Competency picker" src="${origin}/embed/picker?origin=${encodeURIComponent(hostOrigin)}&multiple" style="width:100%;height:600px"></iframe></main>
<script>window.messages = []; addEventListener('message', (e) => { if (e.origin === '${origin}') window.messages.push(e.data) })</script></html>`)
    await page.goto(`${host}/course`)
    const frame = page.frameLocator('iframe')
    await frame.locator('competency-picker [role=treeitem]').first().waitFor()
    await accessible(t, 'the picker iframe page', page.frames()[1] as unknown as Page)
    await frame.getByRole('treeitem', { name: /D1/ }).locator('.row').first().click()
    await frame.getByRole('treeitem', { name: /^C02/ }).locator('.row').first().click()
    await page.waitForFunction(() => (globalThis as any).messages.some((m: any) => m.type === 'competency-picker:change'))
    const messages = await page.evaluate(() => (globalThis as any).messages)
    const change = messages.find((m: any) => m.type === 'competency-picker:change')
    t.match(change, { value: [/^[0-9a-f-]{36}$/], selection: [{ code: 'C02', alignment: { targetCode: 'C02' } }] }, 'the parent gets the selection with its alignment')
    t.ok(messages.some((m: any) => m.type === 'competency-picker:ready'), 'and a ready message')
  })

  t.test('/docs and /graphiql open, and GraphiQL runs a query', async (t) => {
    await page.goto(`${origin}/docs`)
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 })
    t.ok(await page.locator('.opblock').count() > 10, 'Swagger UI lists the operations')
    await page.goto(`${origin}/graphiql`)
    const run = page.locator('.graphiql-execute-button')
    await run.waitFor()
    await run.click()
    await page.locator('.result-window').getByText('"principles"').waitFor({ timeout: 20_000 })
    t.pass('GraphiQL shows the query\'s result')
  })

  t.same(errors, [], 'no console errors or CSP violations on any page')
  if (process.env.BROWSER_DEBUG !== undefined) console.error(errors)
})
