import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@app/platform';
import { countPosts, seedDemoPosts } from '../../datasets/src';
import { PROJECTIONS } from '../../extracted/sync/src/reconcile/projections';
import { DATA_ROOT, ROOT } from './paths';
import { Stack, startLoadtestStack, waitForRelay } from './stack';

const MONOLITH_DB = 'reddit';
const MARKER = 'seeded.json';
/** Relaying a large seed to every service is the slow part of preparing it; it happens once per size. */
const RELAY_TIMEOUT_MS = 60 * 60_000;
const RECONCILE_CLI = join(ROOT, 'dist', 'extracted', 'sync', 'src', 'cli', 'reconcile.cli.js');
const RECONCILE_EVERY_MS = 20_000;
/** Reconcile rounds with the same drift after which the services are taken to have stopped catching up. */
const STALLED_ROUNDS = 3;

/**
 * The seeded data folder of a store kind and data-set size, reused by every
 * run that asks for them: another kind of store keeps its data elsewhere.
 */
export function cacheDirFor(posts: number, storeKind: string): string {
  return join(DATA_ROOT, `loadtest-${storeKind}-${posts}`);
}

interface Marker {
  posts: number;
  services: string[];
  /** Service -> how its data differed from the monolith's when the catching up stopped. */
  drift: Record<string, string>;
  /** buildStamp() of the relay and the services when the drift was measured. */
  build: number;
  /** workloadFingerprint() of the posts seeded: the generator must still produce them. */
  fingerprint: string;
}

/** The newest compiled file of the relay and the services: it changes when any of them is rebuilt. */
function buildStamp(services: readonly string[]): number {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  return Math.max(...['sync', ...services].map((name) => newest(join(ROOT, 'dist', 'extracted', name))));
}

function readMarker(cacheDir: string): Marker | undefined {
  try {
    return JSON.parse(readFileSync(join(cacheDir, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

async function seedPosts(
  mongoUrl: string,
  posts: number,
  cacheDir: string,
  log: (message: string) => void,
): Promise<void> {
  log(`seeding ${posts} generated posts into ${cacheDir} (once for this size)...`);
  await seedDemoPosts(mongoUrl, MONOLITH_DB, posts);
  const count = await countPosts(mongoUrl, MONOLITH_DB);
  if (count !== posts) throw new Error(`seeding left ${count} posts instead of ${posts}`);
}

/** `npm run reconcile -- <service>`: undefined when in sync, else its per-projection summary lines. */
function reconcile(stack: Stack, service: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [RECONCILE_CLI, service],
      { env: { PATH: process.env.PATH, MONGO_URL: stack.store.url }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(undefined);
        // The per-projection lines (`  posts: monolith 200, search 0; missing 200, ...`) of projections that drift.
        const summary = stdout
          .split('\n')
          .filter((line) => /^ {2}\S/.test(line) && !line.endsWith('missing 0, extra 0, different 0'))
          .map((line) => line.trim())
          .join('; ');
        if (summary) resolve(summary);
        else reject(new Error(`reconcile ${service} failed: ${stderr.trim() || error.message}`));
      },
    );
  });
}

/**
 * Waits until every service's data matches the monolith's (reconcile finds
 * no drift), or until the drift stops shrinking; returns what still differs.
 */
async function waitForServiceData(
  stack: Stack,
  services: readonly string[],
  log: (message: string) => void,
): Promise<Record<string, string>> {
  let previous = '';
  let unchanged = 0;
  const probe = async (): Promise<Record<string, string>> => {
    const drift: Record<string, string> = {};
    for (const service of services) {
      const summary = await reconcile(stack, service);
      if (summary) drift[service] = summary;
    }
    const state = JSON.stringify(drift);
    unchanged = state === previous ? unchanged + 1 : 0;
    previous = state;
    return drift;
  };
  const caughtUpOrStalled = (drift: Record<string, string>): boolean => {
    if (Object.keys(drift).length === 0 || unchanged >= STALLED_ROUNDS - 1) return true;
    log(
      `waiting for the services to catch up with the monolith: ${Object.entries(drift)
        .map(([name, text]) => `${name}: ${text}`)
        .join(' | ')}`,
    );
    return false;
  };
  return eventually(probe, caughtUpOrStalled, RELAY_TIMEOUT_MS, RECONCILE_EVERY_MS);
}

/** Sentences for the report about services whose data did not match the monolith's. */
function driftNotes(drift: Record<string, string>): string[] {
  return Object.entries(drift).map(
    ([service, summary]) =>
      `${service}'s data did not match the monolith's when the data set was prepared (${summary}): its answers come from that data`,
  );
}

/**
 * Makes sure `cacheDir` holds `posts` generated posts, already relayed to
 * every service, so that runs only copy it. Seeding goes through the
 * datasets importer, as `npm start` does; the marker file is written last, so
 * an interrupted preparation starts over. A data set on which a service
 * lagged is checked again once the relay or a service has been rebuilt, in
 * case the product got better at catching up. Resolves with a note for every service whose data still
 * differed from the monolith's.
 */
export async function ensureSeededData(options: {
  cacheDir: string;
  posts: number;
  services: string[];
  /** workloadFingerprint() of the posts the generator makes for this size now. */
  fingerprint: string;
  log: (message: string) => void;
}): Promise<string[]> {
  const { cacheDir, posts, services, fingerprint, log } = options;
  const marker = readMarker(cacheDir);
  const build = buildStamp(services);
  const seed = marker?.posts !== posts || marker.fingerprint !== fingerprint;
  if (marker && seed) log(`the data set in ${cacheDir} is not the one the generator makes now: seeding it again`);
  const sameServices = !seed && services.every((name) => marker.services.includes(name));
  if (sameServices && (Object.keys(marker.drift).length === 0 || marker.build === build))
    return driftNotes(marker.drift);
  // Seeded already, but a service is new, or was behind and has been rebuilt since: keep the posts, check again.
  if (!seed) log(`checking that ${services.join(', ')} caught up with the ${posts} seeded posts...`);
  if (seed) {
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
  }
  const started = Date.now();
  const stack = await startLoadtestStack({
    dataDir: cacheDir,
    services,
    gateway: false,
    // Large deliveries: the seed is relayed once, and faster in fewer round trips.
    env: { SYNC_BATCH: '1000' },
    log,
    beforeApps: seed ? (mongoUrl) => seedPosts(mongoUrl, posts, cacheDir, log) : undefined,
  });
  let drift: Record<string, string>;
  try {
    const lag = await waitForRelay(stack, [...services, 'monolith'], RELAY_TIMEOUT_MS, (left) =>
      log(`relaying the seed to ${services.join(', ')}: ${left} events to go`),
    );
    if (lag > 0)
      throw new Error(`the relay still had ${lag} events to deliver after ${RELAY_TIMEOUT_MS / 60_000} minutes`);
    // A service reconcile has no projections for (one just scaffolded) has nothing to compare.
    drift = await waitForServiceData(
      stack,
      services.filter((service) => service in PROJECTIONS),
      log,
    );
  } finally {
    await stack.stop();
  }
  rmSync(join(cacheDir, 'logs'), { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  const prepared: Marker = { posts, services, drift, build, fingerprint };
  writeFileSync(join(cacheDir, MARKER), `${JSON.stringify({ ...prepared, seconds })}\n`);
  log(`data set ready in ${seconds.toFixed(0)} s`);
  return driftNotes(drift);
}

/** A fresh working copy of the seeded data: a run's writes never change the cache. */
export function workingCopy(cacheDir: string): string {
  const workDir = `${cacheDir}-run`;
  rmSync(workDir, { recursive: true, force: true });
  cpSync(cacheDir, workDir, { recursive: true });
  return workDir;
}
