import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); the tests never download a browser of their own. */
export const CHROMIUM = '/usr/bin/chromium';

/** No network of its own beyond the page's, no updates, no GPU, no first-run screens. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-gpu',
  '--no-first-run',
];

const INSTALL_TIMEOUT_MS = 15 * 60_000;

const run = promisify(execFile);
const isRoot = () => process.getuid?.() === 0;
const inCi = () => process.env.CI === 'true';

/**
 * Whether the browser tests can run here: Chromium is there, or can be
 * installed (running as root), or must be (CI, where its absence fails the
 * run); elsewhere the suite is skipped with the reason.
 */
export function browserAvailability(): { run: true } | { run: false; reason: string } {
  if (existsSync(CHROMIUM) || isRoot() || inCi()) return { run: true };
  return { run: false, reason: `${CHROMIUM} is missing and installing it needs root: apt-get install chromium` };
}

/** Installs Debian's chromium with apt-get when it is missing (as root); fails with what to do otherwise. */
export async function ensureChromium(log: (line: string) => void = () => undefined): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (!isRoot()) {
    throw new Error(`${CHROMIUM} is missing and this run is not root: install it first (apt-get install chromium)`);
  }
  log(`${CHROMIUM} is missing: installing Debian's chromium with apt-get`);
  const options = {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: INSTALL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  };
  try {
    await run('apt-get', ['update'], options);
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], options);
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`apt-get install chromium failed: ${stderr?.trim().split('\n').slice(-5).join('\n') ?? error}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, yet ${CHROMIUM} is not there`);
  return CHROMIUM;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium on a fresh profile folder (removed by `close`). */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'strangler-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
    });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
