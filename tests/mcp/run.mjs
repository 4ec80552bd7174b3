// Runs the MCP client tests (npm --prefix tests/mcp test). Exits 77 — "skipped" for ctest —
// when the SDK is not installed, saying how to install it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules', '@modelcontextprotocol', 'sdk'))) {
  console.error('MCP client tests skipped: tests/mcp/node_modules is missing (scripts/setup.sh runs npm ci)');
  process.exit(77);
}
const files = ['http.test.mjs', 'stdio.test.mjs'].map((f) => path.join(here, f));
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
