// Issue point 5: the board's first load stays within its byte budget (its JavaScript ≤ 60 KB
// gzipped) and loads no terminal code; xterm arrives when a terminal opens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openPage, serverAndBrowser } from './harness.mjs';

const BUDGET = 60 * 1024;
const env = serverAndBrowser({ agents: { shell: { command: '/bin/sh', args: ['-c', 'echo hi; sleep 60'] } }, defaultAgent: 'shell' });

test('the board loads at most 60 KB of gzipped JavaScript and no terminal code', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Budget', workingDir: home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Measured' });
  const scripts = new Map();
  const page = await openPage(browser, `${server.url}/#/p/${project.id}`, {
    setup: (p) =>
      p.on('response', async (response) => {
        if (response.request().resourceType() === 'script') scripts.set(response.url(), await response.body());
      }),
  });
  await page.locator('[data-testid=task-card]').waitFor();
  await page.waitForLoadState('networkidle');
  const sizes = [...scripts].map(([url, body]) => ({ url: new URL(url).pathname, gzipped: gzipSync(body, { level: 9 }).length }));
  const total = sizes.reduce((n, s) => n + s.gzipped, 0);
  assert.ok(sizes.length >= 1, 'the app script was loaded');
  assert.ok(total <= BUDGET, `board JavaScript ${total} B gzipped > ${BUDGET}: ${JSON.stringify(sizes)}`);
  assert.equal(sizes.some((s) => s.url.includes('TerminalPane')), false, `no terminal code on the board: ${JSON.stringify(sizes)}`);
  assert.equal(sizes.some((s) => s.url.includes('DiffView')), false, `no diff viewer on the board: ${JSON.stringify(sizes)}`);
  assert.equal(await page.evaluate(() => !!document.querySelector('.xterm')), false);

  // Opening a terminal brings xterm.
  const spawned = await server.api('POST', '/api/sessions/spawn', { taskIds: [task.id], role: 'worker', agent: 'shell' });
  await page.goto(`${server.url}/#/p/${project.id}/s/${spawned.sessionId}`);
  await page.locator('[data-testid=terminal] .xterm-rows').waitFor();
  assert.ok([...scripts.keys()].some((url) => url.includes('TerminalPane')), 'the terminal chunk was loaded on demand');
  assert.deepEqual(page.errors, []);
});
