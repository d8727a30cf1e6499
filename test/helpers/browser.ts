/**
 * Real-browser tests: Debian's Chromium driven by playwright-core (no browser download), a fresh
 * profile per run, the app listening on a loopback port, and axe-core injected into pages. Without
 * Chromium the tests skip outside CI and fail with CI=true.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { BrowserContext, Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { build } from '../../src/app.js'
import { chromiumPath, launchChromium } from '../../scripts/chromium.js'
import { freePort } from '../../scripts/processes.js'
import { tempDir, testConfig } from './app.js'

interface Gate { fail: (message: string) => unknown }

/** Why the browser tests cannot run here (a skip message), or false; fails `t` under CI=true. */
export function browserGate (t: Gate): string | false {
  if (existsSync(chromiumPath)) return false
  const message = `Chromium is missing at ${chromiumPath} (apt-get install chromium)`
  if (process.env.CI === 'true') t.fail(`${message}; CI must run the browser tests`)
  return `${message}; browser tests skipped`
}

interface Teardown { teardown: (fn: () => unknown) => void }

/** The app (with the fixture version 1.2) listening on 127.0.0.1, its PUBLIC_URL its own origin. */
export async function listeningApp (t: Teardown): Promise<{ app: FastifyInstance, origin: string }> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const app = await build({ config: testConfig({ fixtures: true, env: { PUBLIC_URL: origin } }) })
  t.teardown(() => app.close())
  await app.listen({ port, host: '127.0.0.1' })
  return { app, origin }
}

/**
 * Another origin on loopback serving one HTML page (a host such as an LMS would be). Chromium
 * refuses a page it cannot place on the local network (one a test fulfils itself) to frame this one.
 */
export async function hostPage (t: Teardown, body: (hostOrigin: string) => string): Promise<string> {
  const { createServer: createHttpServer } = await import('node:http')
  const port = await freePort()
  const hostOrigin = `http://localhost:${port}`
  const server = createHttpServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body(hostOrigin)) })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  }))
  return hostOrigin
}

/** A browser with a fresh profile, closed on teardown. */
export async function launchBrowser (t: Teardown): Promise<BrowserContext> {
  const context = await launchChromium(tempDir())
  t.teardown(() => context.close())
  return context
}

/** Console errors, uncaught exceptions and Content-Security-Policy violations a page reports. */
export function watchErrors (page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) errors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`))
  return errors
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation { id: string, impact: string | null, help: string, nodes: Array<{ target: unknown[], failureSummary?: string }> }

/**
 * axe-core's violations of WCAG 2.0, 2.1 and 2.2 A and AA on the page as it is now. The script is
 * evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function axeViolations (page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  return await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }))
  })
}

/** The violations, short enough to read in a failed assertion. */
export function describeViolations (violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact ?? ''}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`).join('\n')
}
