// Edits made while the server is down are kept in the browser (through a reload), shown as
// pending, and applied exactly once, in order, when the server is back. A conflicting edit is
// shown to the person and never overwrites someone else's change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, serverAndBrowser, subtaskRow as row, subtaskTitles as titles, waitFor } from './harness.mjs';

const env = serverAndBrowser();
const pendingCount = async (page) => {
  const badge = page.locator('[data-testid=pending]');
  return (await badge.count()) ? Number(await badge.getAttribute('data-count')) : 0;
};

test('edits made while the server is down survive a reload and are applied exactly once', async () => {
  const { server, browser } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Offline', workingDir: '/tmp' });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Ship it' });
  await server.api('POST', `/api/tasks/${task.id}/subtasks`, { title: 'One' });
  await server.api('POST', `/api/tasks/${task.id}/subtasks`, { title: 'Two' });

  const page = await openPage(browser, `${server.url}/#/p/${project.id}/t/${task.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await row(page, 'Two').waitFor();
  // The app shell is cached, so the page can be reloaded without the server.
  await page.locator('html[data-offline-ready=true]').waitFor();
  const sent = [];
  page.on('request', (r) => {
    if (['POST', 'PATCH', 'DELETE'].includes(r.method())) sent.push({ method: r.method(), url: r.url(), key: r.headers()['idempotency-key'] });
  });

  await server.stop();
  await waitFor('the badge to leave “connected”', async () =>
    ['reconnecting', 'offline'].includes(await page.locator('[data-testid=connection]').getAttribute('data-status')),
  );

  // Six edits, one of them on a subtask that exists only in this browser so far.
  await page.fill('[data-testid=new-subtask]', 'Made offline');
  await page.press('[data-testid=new-subtask]', 'Enter');
  await row(page, 'Made offline').waitFor();
  await row(page, 'One').locator('[data-testid=subtask-check]').check();
  await row(page, 'Two').locator('[data-testid=subtask-title]').click();
  await page.fill('[data-testid=subtask-title-input]', 'Two, renamed offline');
  await page.press('[data-testid=subtask-title-input]', 'Enter');
  await row(page, 'Made offline').hover();
  await row(page, 'Made offline').locator('[data-testid=subtask-up]').click();
  await row(page, 'Made offline').locator('[data-testid=subtask-check]').check();
  await page.click('[data-testid=block]');
  await page.fill('[data-testid=block-reason]', 'Waiting for the review');
  await page.click('[data-testid=block-confirm]');
  await waitFor('six pending edits', async () => (await pendingCount(page)) === 6);
  assert.equal(await row(page, 'Made offline').getAttribute('class').then((c) => c.includes('is-pending')), true);

  // Reload while the server is still down: the edits and the board are still there.
  await page.reload();
  await waitFor('six pending edits after the reload', async () => (await pendingCount(page)) === 6);
  await waitFor('the pending view after the reload', async () => (await titles(page)).join('|') === 'One|Made offline|Two, renamed offline');
  assert.equal(await row(page, 'One').getAttribute('data-completed'), 'true');
  await page.locator('[data-testid=blocked-reason]').waitFor();

  // The server comes back on the same port; the page finds it by itself.
  await server.start(server.port);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor({ timeout: 20_000 });
  await waitFor('the queue to drain', async () => (await pendingCount(page)) === 0, { timeout: 20_000 });

  const subtasks = await server.api('GET', `/api/tasks/${task.id}/subtasks`);
  assert.deepEqual(
    subtasks.map((s) => [s.title, s.completed]),
    [
      ['One', true],
      ['Made offline', true],
      ['Two, renamed offline', false],
    ],
  );
  const parent = await server.api('GET', `/api/tasks/${task.id}`);
  assert.equal(parent.status, 'blocked');
  assert.equal(parent.blockedReason, 'Waiting for the review');
  assert.equal(parent.timeline.filter((e) => e.type === 'blocker').length, 1, 'blocked once');

  // Exactly once: the event log holds one creation of the new subtask and one rename.
  const events = await server.api('GET', '/api/events?since=0&limit=1000');
  const created = events.filter((e) => e.type === 'task:created' && e.data.title === 'Made offline');
  assert.equal(created.length, 1);
  const renames = events.filter((e) => e.type === 'task:updated' && e.data.title === 'Two, renamed offline' && e.data.timeline.at(-1).message.includes('title'));
  assert.equal(renames.length, 1);
  // Every create carried an Idempotency-Key.
  const posts = sent.filter((r) => r.method === 'POST');
  assert.ok(posts.length >= 2 && posts.every((r) => r.key), JSON.stringify(sent));

  // And the page agrees with the server.
  await waitFor('page shows the server state', async () => (await titles(page)).join('|') === 'One|Made offline|Two, renamed offline');
  assert.equal(await page.locator('[data-testid=pending]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a stale edit is shown as a conflict, never written over someone else’s change', async () => {
  const { server, browser } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Conflicts', workingDir: '/tmp' });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Contested' });
  const shared = await server.api('POST', `/api/tasks/${task.id}/subtasks`, { title: 'Shared' });
  const other = await server.api('POST', `/api/tasks/${task.id}/subtasks`, { title: 'Other' });

  const page = await openPage(browser, `${server.url}/#/p/${project.id}/t/${task.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await row(page, 'Other').waitFor();

  // This browser's writes cannot get through for a while (its live stream still works).
  const blockWrites = (route) => (route.request().method() === 'GET' ? route.continue() : route.abort('connectionrefused'));
  await page.route('**/api/tasks/**', blockWrites);

  await row(page, 'Shared').locator('[data-testid=subtask-title]').click();
  await page.fill('[data-testid=subtask-title-input]', 'Mine');
  await page.press('[data-testid=subtask-title-input]', 'Enter');
  await row(page, 'Other').locator('[data-testid=subtask-title]').click();
  await page.fill('[data-testid=subtask-title-input]', 'Other, renamed');
  await page.press('[data-testid=subtask-title-input]', 'Enter');
  await waitFor('two pending edits', async () => (await pendingCount(page)) === 2);

  // Meanwhile someone else renames "Shared", and changes only the priority of "Other".
  await server.api('PATCH', `/api/tasks/${task.id}/subtasks/${shared.id}`, { title: 'Theirs' });
  await server.api('PATCH', `/api/tasks/${task.id}/subtasks/${other.id}`, { priority: 'high' });

  await page.unroute('**/api/tasks/**', blockWrites);
  const conflict = page.locator('[data-testid=conflict]');
  await conflict.waitFor({ timeout: 20_000 });
  await waitFor('the queue to drain', async () => (await pendingCount(page)) === 0, { timeout: 20_000 });
  assert.match(await conflict.textContent(), /Mine/);
  assert.match(await conflict.textContent(), /Theirs/);

  // Their title stands until the person decides; the edit of a field nobody else touched went through.
  let stored = await server.api('GET', `/api/tasks/${task.id}/subtasks`);
  assert.deepEqual(
    stored.map((s) => [s.title, s.priority]),
    [
      ['Theirs', 'medium'],
      ['Other, renamed', 'high'],
    ],
  );
  await row(page, 'Theirs').waitFor();

  await conflict.locator('[data-testid=conflict-mine]').click();
  await row(page, 'Mine').waitFor();
  await waitFor('mine applied on the server', async () => {
    stored = await server.api('GET', `/api/tasks/${task.id}/subtasks/${shared.id}`);
    return stored.title === 'Mine';
  });
  assert.equal(await conflict.count(), 0);
  assert.deepEqual(page.errors, []);
});
