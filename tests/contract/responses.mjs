// The integration tests' answers against docs/openapi.yaml: tests/support/ContractLog.cpp keeps
// every response their HTTP client gets (MAESTRO_CONTRACT_LOG), and this checks each one —
// status documented for its operation, Content-Type, body schema — after the last of them ran
// (ctest fixture contract_log). Usage: node responses.mjs LOG_DIR. Exits 77 (skipped) when its
// npm packages are missing or no response was kept (no integration test ran).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules', 'ajv'))) {
  console.error('response contract check skipped: tests/contract/node_modules is missing (scripts/setup.sh runs npm ci)');
  process.exit(77);
}
const { checkAnswer, schemaValidator, templateFor } = await import('./contract.mjs');

const dir = process.argv[2];
const files = dir && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
const lines = files.flatMap((f) =>
  readFileSync(path.join(dir, f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line, i) => ({ line, where: `${f}:${i + 1}` })),
);
if (lines.length === 0) {
  console.error(`response contract check skipped: no responses were kept in ${dir} (no integration test ran)`);
  process.exit(77);
}

const isError = schemaValidator('Error');
const seen = new Set();
const failures = new Map(); // first line of the message → {count, example}
const operations = new Set();
let checked = 0;
for (const { line, where } of lines) {
  let exchange;
  try {
    exchange = JSON.parse(line);
  } catch (e) {
    failures.set(`${where}: not a JSON line: ${e.message}`, { count: 1, example: line.slice(0, 400) });
    continue;
  }
  const { method, target, status, contentType, body } = exchange;
  const pathname = new URL(target, 'http://127.0.0.1').pathname;
  // The web UI's files and other paths outside the API are not the contract's.
  if (!pathname.startsWith('/api/') && pathname !== '/api' && pathname !== '/health' && pathname !== '/mcp') continue;
  const key = `${method} ${target} ${status} ${body}`;
  if (seen.has(key)) continue;
  seen.add(key);
  checked++;
  try {
    try {
      operations.add(checkAnswer(method, target, status, contentType, body).operation);
    } catch (e) {
      // A path no route has is answered 404 with the error document, which is all there is to check.
      if ((status !== 404 && status !== 405) || !/no path of docs\/openapi.yaml matches|is not in docs\/openapi.yaml/.test(e.message)) throw e;
      if (body !== null) isError(JSON.parse(body));
    }
  } catch (e) {
    // Grouped by operation, status and what is wrong, with the first answer as the example.
    const wrong = e.message.includes('does not match') ? e.message.split('\n').slice(2).join(';') : e.message.split(': ').pop();
    const title = `${method} ${templateFor(pathname) ?? pathname} → ${status}: ${wrong}`.slice(0, 300);
    const entry = failures.get(title) ?? { count: 0, example: e.message };
    entry.count++;
    failures.set(title, entry);
  }
}

console.log(`${lines.length} responses kept, ${checked} distinct ones checked, ${operations.size} operations answered`);
if (failures.size === 0) process.exit(0);
for (const [title, { count, example }] of failures) console.error(`✖ ${count}× ${title}\n${example}\n`);
console.error(`${[...failures.values()].reduce((n, f) => n + f.count, 0)} responses do not match docs/openapi.yaml`);
process.exit(1);
