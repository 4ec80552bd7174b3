// Runs the API contract tests (npm --prefix tests/contract test). Exits 77 — "skipped" for
// ctest — when their npm packages are not installed, saying how to install them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules', 'ajv'))) {
  console.error('API contract tests skipped: tests/contract/node_modules is missing (scripts/setup.sh runs npm ci)');
  process.exit(77);
}
// Node.js 20 has its WebSocket client behind a flag (websocket.test.mjs uses it).
const tests = ['api.test.mjs', 'websocket.test.mjs'].map((name) => path.join(here, name));
const run = spawnSync(process.execPath, ['--experimental-websocket', '--test', '--test-concurrency=1', ...tests], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
