// Two people on the same task: every subtask edit one makes appears in the other's browser
// through WebSocket events, without either page polling; a dropped connection resumes with
// `since` and catches up from the replay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiQuiet, openPage, serverAndBrowser, subtaskRow as row, subtaskTitles as titles, waitFor } from './harness.mjs';

const env = serverAndBrowser();

test('two browser contexts see each other’s subtask edits live', async () => {
  const { server, browser } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Live', workingDir: '/tmp' });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Shared task' });
  const url = `${server.url}/#/p/${project.id}/t/${task.id}`;
  const alice = await openPage(browser, url);
  const bob = await openPage(browser, url);
  for (const page of [alice, bob]) {
    await page.locator('[data-testid=connection][data-status=connected]').waitFor();
    await page.locator('[data-testid=task-detail]').waitFor();
  }
  await Promise.all([apiQuiet(alice), apiQuiet(bob)]); // after each page's second load
  // From here on nothing may be fetched to learn about changes: they come as events.
  const polls = [];
  bob.on('request', (r) => r.method() === 'GET' && r.url().includes('/api/') && polls.push(r.url()));
  alice.on('request', (r) => r.method() === 'GET' && r.url().includes('/api/') && polls.push(r.url()));

  await alice.fill('[data-testid=new-subtask]', 'Alpha');
  await alice.press('[data-testid=new-subtask]', 'Enter');
  await row(bob, 'Alpha').waitFor();

  await bob.fill('[data-testid=new-subtask]', 'Beta');
  await bob.press('[data-testid=new-subtask]', 'Enter');
  await row(alice, 'Beta').waitFor();
  await waitFor('both lists in the same order', async () => (await titles(alice)).join() === 'Alpha,Beta' && (await titles(bob)).join() === 'Alpha,Beta');

  // Bob checks Alpha.
  await row(bob, 'Alpha').locator('[data-testid=subtask-check]').check();
  await row(alice, 'Alpha').and(alice.locator('[data-completed=true]')).waitFor();
  assert.equal(await row(alice, 'Alpha').locator('[data-testid=subtask-check]').isChecked(), true);

  // Alice renames Beta.
  await row(alice, 'Beta').locator('[data-testid=subtask-title]').click();
  await alice.fill('[data-testid=subtask-title-input]', 'Beta, renamed');
  await alice.press('[data-testid=subtask-title-input]', 'Enter');
  await row(bob, 'Beta, renamed').waitFor();

  // Alice moves it to the top.
  await row(alice, 'Beta, renamed').hover();
  await row(alice, 'Beta, renamed').locator('[data-testid=subtask-up]').click();
  await waitFor('Bob sees the new order', async () => (await titles(bob)).join('|') === 'Beta, renamed|Alpha');

  // Bob deletes Alpha; Alice's progress follows.
  await row(bob, 'Alpha').hover();
  await row(bob, 'Alpha').locator('[data-testid=subtask-delete]').click();
  await waitFor('Alpha gone for Alice', async () => (await titles(alice)).join('|') === 'Beta, renamed');
  await waitFor('progress updated', async () => (await alice.locator('[data-testid=subtask-progress]').textContent()) === '0/1 done');

  // Alice unchecks nothing and Bob checks the last one; both cards on the board show 1/1.
  await row(bob, 'Beta, renamed').locator('[data-testid=subtask-check]').check();
  await row(alice, 'Beta, renamed').and(alice.locator('[data-completed=true]')).waitFor();

  const stored = await server.api('GET', `/api/tasks/${task.id}/subtasks`);
  assert.deepEqual(
    stored.map((s) => [s.title, s.completed]),
    [['Beta, renamed', true]],
  );
  assert.deepEqual(polls, [], 'no page fetched state after it was loaded');
  assert.deepEqual([...alice.errors, ...bob.errors], []);
});

test('a dropped connection resumes with since and replays what it missed', async () => {
  const { server, browser } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Resume', workingDir: '/tmp' });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Before the drop' });

  // The page's WebSocket goes through the test, which can cut it and refuse reconnects.
  let accept = true;
  let current = null;
  let lastSeqDelivered = 0;
  const subscribes = [];
  const page = await openPage(browser, `${server.url}/#/p/${project.id}/t/${task.id}`, {
    setup: (p) =>
      p.routeWebSocket(/\/ws$/, (ws) => {
        if (!accept) return ws.close({ code: 1011, reason: 'test: server away' });
        current = ws;
        const upstream = ws.connectToServer();
        ws.onMessage((m) => {
          const message = JSON.parse(m);
          if (message.type === 'subscribe') subscribes.push(message);
          upstream.send(m);
        });
        upstream.onMessage((m) => {
          const message = JSON.parse(m);
          if (typeof message.seq === 'number') lastSeqDelivered = Math.max(lastSeqDelivered, message.seq);
          ws.send(m);
        });
      }),
  });
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await page.locator('[data-testid=task-title]', { hasText: 'Before the drop' }).waitFor();
  await apiQuiet(page); // the count starts after the page's second load
  const gets = [];
  page.on('request', (r) => r.method() === 'GET' && r.url().includes('/api/') && gets.push(r.url()));

  // One live event, then the connection drops as a slow consumer would be dropped.
  await server.api('POST', `/api/tasks/${task.id}/subtasks`, { title: 'Seen live' });
  await page.locator('[data-testid=subtask][data-title="Seen live"]').waitFor();
  const seenBeforeDrop = lastSeqDelivered;
  accept = false;
  await current.close({ code: 4008, reason: 'test: too slow' });
  await waitFor('the badge to show the drop', async () => (await page.locator('[data-testid=connection]').getAttribute('data-status')) !== 'connected');

  // Changes while it is away.
  await server.api('POST', `/api/tasks/${task.id}/subtasks`, { title: 'Missed one' });
  await server.api('PATCH', `/api/tasks/${task.id}`, { title: 'Renamed while away' });
  accept = true;
  await page.locator('[data-testid=connection][data-status=connected]').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=subtask][data-title="Missed one"]').waitFor();
  await page.locator('[data-testid=task-title]', { hasText: 'Renamed while away' }).waitFor();

  assert.equal(subscribes.length, 2, JSON.stringify(subscribes));
  assert.equal(subscribes[1].since, seenBeforeDrop, 'resumed from the last event it had');
  assert.deepEqual(gets, [], 'caught up from the replay, not by reloading');
  assert.deepEqual(page.errors, []);
});
