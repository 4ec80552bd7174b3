// Runs the browser tests (npm --prefix web test). Exits 77 — "skipped" for ctest — when the
// machine lacks what they need, saying what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '../../web');
const root = path.resolve(here, '../..');
const chromium = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const server = path.resolve(root, process.env.MAESTRO_SERVER_BIN ?? 'build/host/maestro-server');

function skip(why) {
  console.error(`web UI tests skipped: ${why}`);
  process.exit(77);
}

if (!existsSync(chromium)) skip(`no chromium at ${chromium} (scripts/setup.sh --tests installs it)`);
if (!existsSync(path.join(web, 'node_modules', 'playwright-core'))) skip('web/node_modules is missing (scripts/setup.sh runs npm ci)');
if (!existsSync(server)) {
  console.error(`maestro-server not found at ${server}; build it or set MAESTRO_SERVER_BIN`);
  process.exit(1);
}

const { ensureBuilt } = await import('./harness.mjs');
ensureBuilt();

const only = process.argv.slice(2);
const files = only.length
  ? only.map((f) => path.resolve(f))
  : readdirSync(here)
      .filter((f) => f.endsWith('.test.mjs'))
      .sort()
      .map((f) => path.join(here, f));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, MAESTRO_SERVER_BIN: server },
});
process.exit(result.status ?? 1);
