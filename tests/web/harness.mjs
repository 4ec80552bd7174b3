// Test harness: the real maestro-server on a free port with a temporary home, and Debian's
// chromium driven headless through playwright-core. Everything waits on conditions with deadlines.
import { spawn } from 'node:child_process';
import { after, before } from 'node:test';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const webDir = path.join(repoRoot, 'web');
const require = createRequire(path.join(webDir, 'package.json'));
export const { chromium } = require('playwright-core');

export const serverBin = path.resolve(repoRoot, process.env.MAESTRO_SERVER_BIN ?? 'build/host/maestro-server');
export const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// Builds web/dist when it is missing or older than the sources.
export function ensureBuilt() {
  const index = path.join(webDir, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(path.join(webDir, 'src')),
    newestMtime(path.join(webDir, 'public')),
    ...['index.html', 'package-lock.json', 'vite.config.ts'].map((f) => statSync(path.join(webDir, f)).mtimeMs),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: webDir, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function waitFor(what, check, { timeout = 15_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export function makeHome(config = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'maestro-web-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ webRoot: path.join(webDir, 'dist'), ...config }));
  return home;
}

export class Server {
  constructor(home) {
    this.home = home;
    this.port = 0;
    this.child = null;
    this.log = '';
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  // Starts the server; on a restart the same port is asked for so open pages find it again.
  async start(port = this.port) {
    if (!existsSync(serverBin)) throw new Error(`maestro-server not found at ${serverBin} (set MAESTRO_SERVER_BIN)`);
    const child = spawn(serverBin, ['--port', String(port), '--home', this.home], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    child.stderr.on('data', (d) => (this.log += d));
    const bound = new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        this.log += d;
        const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      exited.then(({ code, signal }) => reject(new Error(`maestro-server exited (${code ?? signal}) before listening:\n${this.log}`)));
    });
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`maestro-server did not start in 15 s:\n${this.log}`)), 15_000);
    });
    try {
      this.port = await Promise.race([bound, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this;
  }

  async stop() {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }

  async api(method, route, body, headers = {}) {
    const response = await fetch(this.url + route, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
    return data;
  }
}

// playwright gives every launch a fresh temporary user-data dir of its own (and refuses a
// --user-data-dir argument), so each run starts from a clean profile.
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
  return browser;
}

// A page that fails the test on uncaught errors in the app.
// `setup(page)` runs before the page loads (to install routes).
export async function openPage(browser, url, { colorScheme = 'light', viewport = { width: 1400, height: 860 }, setup } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.setDefaultTimeout(15_000);
  if (setup) await setup(page);
  await page.goto(url);
  return page;
}

export function cleanup(home) {
  rmSync(home, { recursive: true, force: true });
}

// The server (its home holding `config`) and the browser a test file shares: started before
// its first test, stopped after its last. Tests read `env.server` and `env.browser`.
export function serverAndBrowser(config = {}) {
  const env = {};
  before(async () => {
    ensureBuilt();
    env.home = makeHome(config);
    env.server = await new Server(env.home).start();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    if (env.home) cleanup(env.home);
  });
  return env;
}

// The subtask rows of an open task: one by its title, and all titles in order.
export const subtaskRow = (page, title) => page.locator(`[data-testid=subtask][data-title="${title}"]`);
export const subtaskTitles = (page) =>
  page.locator('[data-testid=subtask]').evaluateAll((rows) => rows.map((r) => r.dataset.title));

// Waits until the page has neither started nor finished an API request for half a second. A
// fresh page loads what it shows twice — when it opens, and again once its first subscription
// starts, for what changed in between — so a test that counts requests starts after this.
export async function apiQuiet(page) {
  let last = Date.now();
  const seen = (r) => r.url().includes('/api/') && (last = Date.now());
  for (const event of ['request', 'requestfinished', 'requestfailed']) page.on(event, seen);
  await waitFor('the API to be quiet', () => Date.now() - last >= 500);
  for (const event of ['request', 'requestfinished', 'requestfailed']) page.off(event, seen);
}

// Waits until the page's finite animations (a dialog fading in, the panel sliding in) are over.
export function settled(page) {
  return page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );
}

// axe-core's serious and critical violations on the page as it is now (all rules, WCAG AA).
const axeSource = require.resolve('axe-core/axe.min.js');
export async function axeViolations(page, { include } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axeSource });
  await settled(page); // colours as they end up, not half-way through a dialog's fade-in
  const result = await page.evaluate(
    (context) => window.axe.run(context ?? document, { resultTypes: ['violations'] }),
    include ?? null,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
}

// Elements wider than the viewport, and whether the page itself scrolls sideways.
export async function overflow(page) {
  await settled(page);
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    viewport: innerWidth,
    tooWide: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().width > innerWidth + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/\s+/g, '.')}`),
  }));
}

// The element that has keyboard focus, described by its test id, id or tag.
export const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.dataset?.testid ?? (el?.id || el?.tagName.toLowerCase());
  });
