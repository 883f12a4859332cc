import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { Stack, startStack } from '../scripts/lib/stack';
import { eventually } from '@app/platform';
import { Browser, browserAvailability, ensureChromium, launchBrowser } from './support/browser';
import { callGateway } from './support/gateway';

const TOKEN = 'dashboard-test-token';
const ROUTES = path.resolve(__dirname, '..', 'gateway', 'routes.yaml');
/** Screenshots are kept for a person to look at; the folder is git-ignored. */
const ARTIFACTS = path.resolve(__dirname, 'artifacts');
const DEPENDENCY_MAP =
  'digraph strangler {\n  gateway -> monolith;\n  gateway -> search;\n  monolith -> sync;\n  sync -> search;\n}\n';

const availability = browserAvailability();
if (!availability.run) process.stderr.write(`dashboard browser tests skipped: ${availability.reason}\n`);
const describeInBrowser = availability.run ? describe : describe.skip;

describeInBrowser('the migration dashboard in a real browser', () => {
  let dataDir: string;
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let gateway: string;
  let page: Page;
  /** Script errors and refusals by the page's content security policy, which no case may cause. */
  let pageProblems: string[];

  const admin = (method: string, url: string) =>
    callGateway(gateway, method, `/_gateway${url}`, undefined, { authorization: `Bearer ${TOKEN}` });
  const targetOf = async (route: string) => (await admin('GET', `/routes/${route}`)).body.target;
  const auditLength = async () => ((await admin('GET', '/audit')).body.items as unknown[]).length;
  const routeRow = (route: string) => page.locator(`tr[data-route="${route}"]`);
  /** The page's own message lines: what happened, and what was refused. */
  const notice = () => page.locator('.messages [role=status]');
  const refusal = () => page.locator('.messages [role=alert]');

  beforeAll(async () => {
    const executable = await ensureChromium((line) => process.stderr.write(`${line}\n`));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-dashboard-'));
    const routesFile = path.join(dataDir, 'routes.yaml');
    const graphFile = path.join(dataDir, 'dependency-map.dot');
    fs.copyFileSync(ROUTES, routesFile);
    fs.writeFileSync(graphFile, DEPENDENCY_MAP);
    stack = await startStack({
      dataDir,
      randomPorts: true,
      env: {
        LOG_LEVEL: 'warn',
        SYNC_POLL_MS: '50',
        ROUTES_FILE: routesFile,
        GRAPH_DOT_FILE: graphFile,
        GATEWAY_ADMIN_TOKEN: TOKEN,
      },
    });
    gateway = stack.url('gateway');
    browser = await launchBrowser(executable);
  }, 900_000);

  // Each case opens its own tab, so no token or page state is carried from one case to the next.
  beforeEach(async () => {
    page = await (browser as Browser).context.newPage();
    pageProblems = [];
    page.on('pageerror', (error) => pageProblems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) {
        pageProblems.push(message.text());
      }
    });
    await page.goto(`${gateway}/_gateway/ui/`);
    await page.getByRole('heading', { name: 'Strangler migration dashboard' }).waitFor();
    await routeRow('search').waitFor();
  });

  afterEach(async () => {
    await page?.close();
    expect(pageProblems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the page with every route, its state and target, and the dependency map drawn as SVG', async () => {
    for (const route of ['search', 'recommendations', 'tags', 'engagement']) {
      await expectText(routeRow(route).locator('.state'), 'monolith');
      await expectText(routeRow(route).locator('.target'), 'monolith');
    }
    await page.getByRole('img', { name: 'Dependency map of the monolith and the services' }).waitFor();
    expect(await page.locator('.dependency-map svg g.node').count()).toBe(4);
  });

  it('gives every control an accessible name', async () => {
    const tree = await page.locator('body').ariaSnapshot();
    const controls = tree
      .split('\n')
      .filter((line) => /^\s*- (button|textbox|combobox|checkbox|spinbutton|link)\b/.test(line));
    expect(controls.length).toBeGreaterThan(10);
    // An unnamed control shows as `- button` with no quoted name after its role.
    expect(controls.filter((line) => !/^\s*- \w+ "[^"]+"/.test(line))).toEqual([]);
  });

  it('refuses every change without the token, and with a wrong one, sending nothing', async () => {
    const before = await auditLength();
    await page.getByRole('button', { name: 'Flip search' }).click();
    await expectText(refusal(), 'Enter the admin token first: changing a route needs it.');
    await page.getByRole('button', { name: 'Roll back tags' }).click();
    await expectText(refusal(), 'Enter the admin token first');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Check drift' }).click();
    await expectText(page.locator('#drift-heading ~ p[role=status]'), 'Enter the admin token first');

    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Use token' }).click();
    await expectText(page.locator('.token [role=alert]'), 'the admin token is wrong');
    await page.getByRole('button', { name: 'Flip search' }).click();
    await expectText(refusal(), 'Enter the admin token first');

    expect(await targetOf('search')).toBe('monolith');
    expect(await targetOf('tags')).toBe('monolith');
    expect(await auditLength()).toBe(before);
  });

  it('flips a route with the token (keyboard only), a real request follows it, and a roll-back shows in the audit log', async () => {
    // Keyboard: the skip link first, then the token field; Enter submits.
    await page.keyboard.press('Tab');
    await expectFocus(page.getByRole('link', { name: 'Skip to the routes' }));
    await page.keyboard.press('Tab');
    await expectFocus(page.getByLabel('Admin token'));
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await expectText(notice(), 'Token accepted');

    const searchBefore = await callGateway(gateway, 'GET', '/search?q=django');
    expect(searchBefore.servedBy).toBe('monolith');

    await page.getByLabel('Target or candidate for search').selectOption('search');
    await page.getByLabel('Target or candidate for search').focus();
    await page.keyboard.press('Tab');
    await expectFocus(page.getByRole('button', { name: 'Flip search' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Flip search to search?' });
    await dialog.waitFor();
    // Cancel has the focus: Escape or Enter now changes nothing; Tab then Enter confirms.
    await page.keyboard.press('Tab');
    await expectFocus(dialog.getByRole('button', { name: 'Flip to search' }));
    await page.keyboard.press('Enter');
    await expectText(notice(), 'Route search now goes to search.');

    const flipped = await eventually(
      () => callGateway(gateway, 'GET', '/search?q=django'),
      (answer) => answer.servedBy === 'search',
      30_000,
    );
    expect(flipped).toMatchObject({ status: 200, servedBy: 'search' });
    await expectText(routeRow('search').locator('.target'), 'search');
    await expectText(routeRow('search').locator('.state'), 'live');

    // Some traffic for the screenshot's rates and charts.
    for (let i = 0; i < 20; i++) await callGateway(gateway, 'GET', `/search?q=flask${i}`);
    await expectText(routeRow('search').locator('.traffic'), 'search:');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    await page.getByRole('button', { name: 'Roll back search' }).click();
    await page.getByRole('dialog', { name: 'Roll back search?' }).getByRole('button', { name: 'Roll back' }).click();
    await expectText(notice(), 'Route search now goes to monolith.');
    const back = await callGateway(gateway, 'GET', '/search?q=django');
    expect(back.servedBy).toBe('monolith');

    const newest = page.locator('table.audit tbody tr').first();
    await expectText(newest, 'search');
    expect(await newest.locator('td').allTextContents()).toEqual([
      expect.any(String),
      'admin',
      'search',
      'search',
      'monolith',
      'monolith',
      '—',
      '—',
    ]);
  });

  it("steers a route through shadow, canary, promote and back, with a reason, showing the server's refusals", async () => {
    await signIn();
    const row = routeRow('recommendations');
    const confirm = async (dialogName: string, button: string, reason?: string) => {
      const dialog = page.getByRole('dialog', { name: dialogName });
      await dialog.waitFor();
      if (reason) await dialog.getByLabel('Reason, for the audit log (optional)').fill(reason);
      await dialog.getByRole('button', { name: button }).click();
    };

    await page.getByLabel('Target or candidate for recommendations').selectOption('recommendations');
    await page.getByRole('button', { name: 'Shadow recommendations' }).click();
    await confirm('Shadow recommendations on recommendations?', 'Shadow on recommendations', 'compare before moving');
    await expectText(notice(), 'Route recommendations is answered by monolith and shadowed on recommendations.');
    await expectText(row.locator('.state'), 'shadow');
    const report = page.locator('[data-report="recommendations"]');
    await expectText(report, 'Shadow match rate');
    // The service has the monolith's data, so the shadow's answers match.
    for (let i = 0; i < 5; i++) await callGateway(gateway, 'GET', `/recommendations?limit=${i + 1}`);
    await expectText(report.locator('[data-figure="match-rate"]'), '100.0%');
    expect(await admin('GET', '/routes/recommendations')).toMatchObject({
      body: { state: 'shadow', target: 'monolith', candidate: 'recommendations' },
    });

    await page.getByLabel('Canary weight for recommendations (%)').fill('150');
    await page.getByRole('button', { name: 'Canary recommendations' }).click();
    await confirm('Canary recommendations on recommendations?', 'Canary on recommendations');
    await expectText(refusal(), 'weight must be a whole percent from 0 to 100');
    expect((await admin('GET', '/routes/recommendations')).body.state).toBe('shadow');

    await page.getByLabel('Canary weight for recommendations (%)').fill('20');
    await page.getByRole('button', { name: 'Canary recommendations' }).click();
    await confirm('Canary recommendations on recommendations?', 'Canary on recommendations');
    await expectText(notice(), 'Route recommendations sends 20% to recommendations, the rest to monolith.');
    await expectText(row.locator('.state'), 'canary');

    await page.getByRole('button', { name: 'Promote recommendations' }).click();
    await confirm('Promote recommendations?', 'Promote');
    await expectText(notice(), 'Route recommendations sends 25% to recommendations');
    expect((await admin('GET', '/routes/recommendations')).body).toMatchObject({ state: 'canary', weight: 25 });

    await page.getByRole('button', { name: 'Roll back recommendations' }).click();
    await confirm('Roll back recommendations?', 'Roll back');
    await expectText(notice(), 'Route recommendations now goes to monolith.');
    await expectText(row.locator('.state'), 'monolith');

    const reasons = page.locator('table.audit tbody tr', { hasText: 'compare before moving' });
    await expectText(reasons, 'recommendations');
  });

  it('shows the match rate and example diffs of a shadow whose candidate lags behind the monolith', async () => {
    await signIn();
    const title = 'Shadowed zebra crossings in pandas';
    // With the relay stopped, a new post reaches the monolith only: the search service cannot find it.
    (stack as Stack).kill('sync', 'SIGTERM');
    try {
      await eventually(
        () =>
          fetch(`${(stack as Stack).url('sync')}/health`).then(
            () => true,
            () => false,
          ),
        (up) => !up,
        30_000,
      );
      expect((await callGateway(gateway, 'POST', '/posts', { title, author: 'ann' })).status).toBe(201);

      await page.getByLabel('Target or candidate for search').selectOption('search');
      await page.getByRole('button', { name: 'Shadow search' }).click();
      await page
        .getByRole('dialog', { name: 'Shadow search on search?' })
        .getByRole('button', { name: 'Shadow on search' })
        .click();
      await expectText(notice(), 'Route search is answered by monolith and shadowed on search.');

      for (let i = 0; i < 4; i++) {
        const answer = await callGateway(gateway, 'GET', '/search?q=zebra');
        expect(answer).toMatchObject({ status: 200, servedBy: 'monolith' });
      }
      const report = page.locator('[data-report="search"]');
      await expectText(report.locator('[data-figure="match-rate"]'), '0.0%');
      await expectText(report, 'Fields that differ');
      await report.getByText(/^Example differences/).click();
      await expectText(report.locator('.example').first(), '/search?q=zebra');
      await expectText(report.locator('.example pre').first(), title);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await report.screenshot({ path: path.join(ARTIFACTS, 'shadow-report.png') });

      await page.getByRole('button', { name: 'Roll back search' }).click();
      await page.getByRole('dialog', { name: 'Roll back search?' }).getByRole('button', { name: 'Roll back' }).click();
      await expectText(notice(), 'Route search now goes to monolith.');
    } finally {
      await (stack as Stack).restart('sync');
    }
  });

  it('cancels a change on Escape, sending nothing', async () => {
    await signIn();
    const before = await auditLength();
    await page.getByRole('button', { name: 'Flip tags' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await targetOf('tags')).toBe('monolith');
    expect(await auditLength()).toBe(before);
  });

  it("shows each service's drift from the monolith, as reconcile computes it", async () => {
    await signIn();
    await page.getByRole('button', { name: 'Check drift' }).click();
    const table = page.locator('#drift-heading ~ table');
    await table.waitFor({ timeout: 120_000 });
    const services = await table.locator('tbody th').allTextContents();
    expect([...new Set(services)].sort()).toEqual(['engagement', 'recommendations', 'search', 'tagging']);
  });

  async function signIn(): Promise<void> {
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await expectText(notice(), 'Token accepted');
  }

  async function expectText(locator: Locator, text: string): Promise<void> {
    await eventually(
      async () => (await locator.first().textContent({ timeout: 30_000 })) ?? '',
      (content) => content.includes(text),
      30_000,
    );
    expect(await locator.first().textContent()).toContain(text);
  }

  /** Whether the element the locator finds has the keyboard focus. */
  async function expectFocus(locator: Locator): Promise<void> {
    expect(await locator.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
  }
});
