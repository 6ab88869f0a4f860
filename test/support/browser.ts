import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

/** Debian's chromium (installed by .ci/run when missing); CHROMIUM_PATH points elsewhere. */
const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface BrowserPage {
  context: BrowserContext
  page: Page
  /** Uncaught page errors and console errors (CSP violations show up here). */
  errors: string[]
}

/** A fresh context (own cookies) at 1280×800, recording page errors for the tests to assert on. */
export async function openPage(
  browser: Browser,
  { width = 1280, height = 800 }: { width?: number; height?: number } = {},
): Promise<BrowserPage> {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'en-US',
    timezoneId: 'UTC',
  })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    // A 401 while probing the session, or an expected 4xx, is logged by Chromium as a failed resource.
    if (message.type() === 'error' && !message.text().includes('Failed to load resource'))
      errors.push(message.text())
  })
  return { context, page, errors }
}

/** True when every input, select and textarea on the page has an accessible name (label or aria). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  // A string, so the DOM code is not typechecked against Node's lib.
  return page.evaluate(`(() => {
    const missing = []
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue
      const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      if (!named) missing.push(el.outerHTML.slice(0, 120))
    }
    return missing
  })()`)
}
