/**
 * Debian's Chromium driven by Playwright (playwright-core, no downloaded browser). CHROMIUM_PATH
 * overrides where it is; `.ci/run` installs the `chromium` package when it is missing. A browser
 * that cannot start fails the test with what to do — a browser test that skips proves nothing.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  try {
    return await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      // A container has no user namespaces for the sandbox and no GPU; the rest keeps the browser
      // from calling home (updates, sync, field trials) while it is tested offline.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 60_000,
    });
  } catch (error) {
    throw new Error(
      `Chromium at ${chromiumPath} did not start (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); check that it runs (${chromiumPath} --headless --version) or set CHROMIUM_PATH.`,
    );
  }
}
