/**
 * Debian's Chromium under playwright-core, as the browser tests and `npm run screenshots` run it:
 * headless, a fresh profile, and nothing that talks to the network by itself.
 */
import { chromium, type BrowserContext } from 'playwright-core'

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. */
export const chromiumPath = '/usr/bin/chromium'

/** The flags the browser runs with: headless, no sandbox (CI runs as root), no background traffic. */
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]

/** Chromium with its profile in `userDataDir` (a fresh, empty folder). */
export async function launchChromium (userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 30_000 })
  context.setDefaultTimeout(10_000)
  return context
}
