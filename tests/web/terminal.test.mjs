// Spawning an agent from a task and driving its terminal: output, keystrokes, resize, stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, serverAndBrowser, waitFor } from './harness.mjs';

// Prints a greeting, then echoes each line it reads together with the terminal size.
const SHELL_AGENT = {
  command: '/bin/sh',
  args: ['-c', 'echo hello-from-session; while read line; do echo "got:$line"; stty size; done'],
};

const env = serverAndBrowser({ agents: { shell: SHELL_AGENT } });

const screenText = (page) => page.locator('[data-testid=terminal] .xterm-rows').innerText();

test('spawn a worker on a task and use its live terminal', async (t) => {
  const { server, browser, home } = env;
  const probe = await fetch(`${server.url}/api/sessions`);
  if (probe.status === 404) return t.skip('this maestro-server has no session routes');

  const project = await server.api('POST', '/api/projects', { name: 'Terminals', workingDir: home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Say hello' });
  const page = await openPage(browser, `${server.url}/#/p/${project.id}/t/${task.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();

  await page.locator('[data-testid=agent] option[data-name=shell]').waitFor({ state: 'attached' });
  await page.selectOption('[data-testid=agent]', 'shell');
  await page.click('[data-testid=spawn-worker]');
  await page.waitForURL(/#\/p\/[^/]+\/s\/[^/]+$/);
  const sessionId = decodeURIComponent(page.url().split('/').at(-1));

  await waitFor('the greeting in the terminal', async () => (await screenText(page)).includes('hello-from-session'));
  await page.locator(`[data-testid=session-item][data-session-id="${sessionId}"]`).waitFor();

  // Keystrokes reach the process, and it sees the terminal's size.
  await page.locator('[data-testid=terminal]').click();
  await page.keyboard.type('ping');
  await page.keyboard.press('Enter');
  const sizeAfter = async (marker) => {
    const text = await screenText(page);
    const m = [...text.matchAll(new RegExp(`got:${marker}\\s+(\\d+) (\\d+)`, 'g'))].at(-1);
    return m && { rows: Number(m[1]), cols: Number(m[2]) };
  };
  const first = await waitFor('the echo of “ping” with a size', () => sizeAfter('ping'));
  assert.ok(first.cols > 40 && first.rows > 5, JSON.stringify(first));

  // A narrower window resizes the pseudo-terminal.
  await page.setViewportSize({ width: 900, height: 700 });
  await waitFor('the terminal to refit', async () => {
    await page.keyboard.type('x');
    await page.keyboard.press('Enter');
    const size = await sizeAfter('x');
    return size && size.cols < first.cols;
  }, { interval: 400 });

  // Stop it from the UI; the list and the API agree.
  await page.click('[data-testid=stop-session]');
  await page.locator(`[data-testid=session-item][data-session-id="${sessionId}"][data-status=stopped]`).waitFor();
  const stored = await server.api('GET', `/api/sessions/${sessionId}`);
  assert.equal(stored.status, 'stopped');
  assert.deepEqual(stored.taskIds, [task.id]);
  assert.deepEqual(page.errors, []);
});
