// Takes the screenshots in docs/screenshots/ from a live maestro-server with sample data.
// Usage: npm --prefix web run screenshots   (MAESTRO_SERVER_BIN to pick the server binary)
import path from 'node:path';
import { Server, cleanup, ensureBuilt, launchBrowser, makeHome, openPage, repoRoot, waitFor } from '../../tests/web/harness.mjs';

const out = path.join(repoRoot, 'docs', 'screenshots');
const demoAgent = {
  command: '/bin/sh',
  args: [
    '-c',
    [
      "printf '\\033[1;35m▶ maestro worker init\\033[0m\\n'",
      "printf 'Task \\033[1m%s\\033[0m — %s\\n' \"$MAESTRO_TASK_ID\" 'Migrate sessions to the new store'",
      "printf '\\033[32m✓\\033[0m read brief (%s)\\n' \"$MAESTRO_BRIEF_FILE\"",
      "printf '\\033[32m✓\\033[0m subtask 1/5 marked in progress\\n'",
      "printf '\\033[36m…\\033[0m running \\033[1mctest -L unit\\033[0m\\n'",
      "printf '   100%% tests passed, 0 tests failed out of 84\\n'",
      "printf '\\033[33m!\\033[0m store/SessionRepository.cpp: 2 TODOs left\\n'",
      "printf '\\033[1;34mmaestro report progress\\033[0m \"schema migrated, wiring the spawner\"\\n'",
      'exec sleep 600',
    ].join('; '),
  ],
};

const TASKS = [
  { title: 'Write the onboarding guide', priority: 'low', subtasks: ['Install and first run', 'Spawning a worker', 'Keyboard shortcuts'] },
  { title: 'Add CSV export to reports', priority: 'medium' },
  { title: 'Rate-limit the public API', priority: 'high', description: 'Token bucket per key; 429 with Retry-After.' },
  {
    title: 'Migrate sessions to the new store',
    priority: 'high',
    status: 'in_progress',
    description: 'Sessions move from the JSON files to SQLite, with a migration for existing homes.',
    subtasks: ['Schema and migration 0004', 'SessionRepository with prepared statements', 'Wire the spawner', 'Replay output logs', 'Remove the JSON store'],
    done: 2,
    session: true,
  },
  { title: 'Polish the dark theme', priority: 'medium', status: 'in_progress', subtasks: ['Terminal colours', 'Focus rings'], done: 1 },
  { title: 'Deploy to staging', priority: 'high', status: 'blocked', blockedReason: 'Waiting for the staging credentials from ops' },
  { title: 'Set up CI on two cores', priority: 'medium', status: 'completed' },
  { title: 'Idempotency keys for every create', priority: 'medium', status: 'completed', subtasks: ['Server', 'CLI', 'Web UI'], done: 3 },
  { title: 'Rewrite the CLI in Rust', priority: 'low', status: 'cancelled' },
];

ensureBuilt();
const home = makeHome({ agents: { demo: demoAgent } });
const server = await new Server(home).start();
const browser = await launchBrowser();
try {
  const project = await server.api('POST', '/api/projects', {
    name: 'Maestro',
    workingDir: home,
    description: 'The server, the CLI and the web UI',
  });
  await server.api('POST', '/api/projects', { name: 'Website', workingDir: home });
  let featured;
  for (const spec of TASKS) {
    const task = await server.api('POST', '/api/tasks', {
      projectId: project.id,
      title: spec.title,
      priority: spec.priority,
      description: spec.description ?? '',
    });
    const subtasks = [];
    for (const title of spec.subtasks ?? []) subtasks.push(await server.api('POST', `/api/tasks/${task.id}/subtasks`, { title }));
    for (const s of subtasks.slice(0, spec.done ?? 0))
      await server.api('PATCH', `/api/tasks/${task.id}/subtasks/${s.id}`, { completed: true });
    if (spec.status) await server.api('PATCH', `/api/tasks/${task.id}`, { status: spec.status, ...(spec.blockedReason ? { blockedReason: spec.blockedReason } : {}) });
    if (spec.session) featured = task;
  }
  let sessionId = null;
  const spawn = await fetch(`${server.url}/api/sessions/spawn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ taskIds: [featured.id], role: 'worker', agent: 'demo', name: 'worker · sessions store' }),
  });
  if (spawn.ok) sessionId = (await spawn.json()).sessionId;
  else console.warn(`no session screenshot: spawn answered ${spawn.status}`);

  const shoot = async (colorScheme, hash, file, ready, viewport = { width: 1440, height: 860 }) => {
    const page = await openPage(browser, `${server.url}/${hash}`, { colorScheme, viewport });
    await page.locator('[data-testid=connection][data-status=connected]').waitFor();
    await ready(page);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(out, file) });
    await page.context().close();
    console.log(`docs/screenshots/${file}`);
  };
  const boardReady = (page) => waitFor('cards', async () => (await page.locator('[data-testid=task-card]').count()) === TASKS.length);

  await shoot('light', `#/p/${project.id}`, 'board-light.png', boardReady);
  await shoot('dark', `#/p/${project.id}`, 'board-dark.png', boardReady);
  await shoot('light', `#/p/${project.id}/t/${featured.id}`, 'task-detail.png', async (page) => {
    await page.locator('[data-testid=subtask]').nth(4).waitFor();
    if (sessionId) await page.locator('.session-links li').first().waitFor();
  });
  await shoot('dark', `#/p/${project.id}/t/${featured.id}`, 'task-detail-dark.png', (page) => page.locator('[data-testid=subtask]').nth(4).waitFor());
  if (sessionId)
    await shoot('dark', `#/p/${project.id}/s/${sessionId}`, 'terminal.png', (page) =>
      waitFor('agent output', async () => (await page.locator('.xterm-rows').innerText()).includes('maestro report progress')),
    );
  await shoot('light', `#/p/${project.id}`, 'help.png', async (page) => {
    await boardReady(page);
    await page.keyboard.press('?');
    await page.locator('[data-testid=help]').waitFor();
  });

  // The layouts of a phone, a tablet and a laptop: the board, the task panel and a terminal.
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 768, height: 1024 },
    { width: 1280, height: 800 },
  ]) {
    const size = `${viewport.width}x${viewport.height}`;
    await shoot('light', `#/p/${project.id}`, `layout-${size}-board.png`, boardReady, viewport);
    await shoot('light', `#/p/${project.id}/t/${featured.id}`, `layout-${size}-task.png`, (page) => page.locator('[data-testid=subtask]').nth(4).waitFor(), viewport);
    if (sessionId)
      await shoot('dark', `#/p/${project.id}/s/${sessionId}`, `layout-${size}-terminal.png`, (page) =>
        waitFor('agent output', async () => (await page.locator('.xterm-rows').innerText()).includes('maestro report progress')),
      viewport);
  }
  await shoot('light', `#/p/${project.id}`, 'list-view.png', async (page) => {
    await boardReady(page);
    await page.click('[data-testid=view-list]');
    await page.locator('[data-testid=task-row]').nth(TASKS.length - 1).waitFor();
  });
  await shoot('dark', `#/p/${project.id}`, 'palette.png', async (page) => {
    await boardReady(page);
    await page.keyboard.press('Control+k');
    await page.keyboard.type('move');
  });

  // Last, as it stops the server: edits made offline, waiting to be sent.
  const page = await openPage(browser, `${server.url}/#/p/${project.id}/t/${featured.id}`, { viewport: { width: 1440, height: 860 } });
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await page.locator('[data-testid=subtask]').nth(4).waitFor();
  await server.stop();
  await page.locator('[data-testid=connection][data-status=reconnecting]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=subtask]').nth(2).locator('[data-testid=subtask-check]').check();
  await page.fill('[data-testid=new-subtask]', 'Document the migration');
  await page.press('[data-testid=new-subtask]', 'Enter');
  await page.click('[data-testid=pending]');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(out, 'offline.png') });
  console.log('docs/screenshots/offline.png');
} finally {
  await browser.close();
  await server.stop();
  cleanup(home);
}
