// Two answers of the event stream the UI must act on (docs/api.md, "WebSocket"): an event the
// server had no room to send whole arrives as a stub the UI resolves with a GET, and
// `resync_required` — the event log no longer reaches back to the UI's last event — makes it
// reload. The real server's stream passes through playwright's WebSocket route, which turns
// its events into stubs, or holds them back, the way the server would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiQuiet, openPage, serverAndBrowser, waitFor } from './harness.mjs';

const env = serverAndBrowser();

async function boardWithTask(title) {
  const { server } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Stream', workingDir: '/tmp' });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title });
  return { project, task };
}

const cardTitle = (page, task) => page.locator(`[data-testid=task-card][data-task-id="${task.id}"] .card-title`);

test('an event sent as a stub is fetched and applied', async () => {
  const { server, browser } = env;
  const { project, task } = await boardWithTask('Before');
  const stubbed = [];
  const page = await openPage(browser, `${server.url}/#/p/${project.id}`, {
    setup: (p) =>
      p.routeWebSocket(/\/ws$/, (ws) => {
        const upstream = ws.connectToServer();
        upstream.onMessage((text) => {
          const message = JSON.parse(text);
          if (message.type === 'task:updated' && message.data?.id === task.id) {
            stubbed.push(message.seq);
            const { seq, type, event, timestamp } = message;
            return ws.send(JSON.stringify({ seq, type, event, id: task.id, truncated: true, timestamp }));
          }
          ws.send(text);
        });
      }),
  });
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await waitFor('the card', async () => (await cardTitle(page, task).textContent()) === 'Before');
  // Else the page's second load could read the change before the stub's GET.
  await apiQuiet(page);
  const fetched = [];
  page.on('request', (r) => r.method() === 'GET' && r.url().endsWith(`/api/tasks/${task.id}`) && fetched.push(r.url()));

  await server.api('PATCH', `/api/tasks/${task.id}`, { title: 'After' });
  await waitFor('the stubbed change applied', async () => fetched.length > 0 && (await cardTitle(page, task).textContent()) === 'After');
  assert.equal(stubbed.length, 1, 'the change came as a stub');
  assert.equal(fetched.length, 1, 'the stub was resolved with one GET');
  assert.equal(await page.locator('[data-testid=connection]').getAttribute('data-status'), 'connected');
  assert.deepEqual(page.errors, []);
});

test('resync_required makes the UI reload what it shows', async () => {
  const { server, browser } = env;
  const { project, task } = await boardWithTask('Old');
  let holdEvents = false;
  let client;
  const page = await openPage(browser, `${server.url}/#/p/${project.id}`, {
    setup: (p) =>
      p.routeWebSocket(/\/ws$/, (ws) => {
        client = ws;
        const upstream = ws.connectToServer();
        upstream.onMessage((text) => {
          if (holdEvents && typeof JSON.parse(text).seq === 'number') return; // lost, as if pruned
          ws.send(text);
        });
      }),
  });
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await waitFor('the card', async () => (await cardTitle(page, task).textContent()) === 'Old');
  await apiQuiet(page); // else the page's second load could read the change

  holdEvents = true;
  const changed = await server.api('PATCH', `/api/tasks/${task.id}`, { title: 'Reloaded' });
  const added = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Added meanwhile' });
  assert.equal(await cardTitle(page, task).textContent(), 'Old', 'the change did not arrive as an event');

  const last = Number((await fetch(`${server.url}/api/events?limit=1`)).headers.get('X-Last-Seq'));
  client.send(JSON.stringify({ type: 'resync_required', since: 1, firstSeq: last, lastSeq: last }));
  await waitFor('the reloaded board', async () => (await cardTitle(page, task).textContent()) === 'Reloaded');
  await cardTitle(page, added).waitFor();
  assert.equal(changed.title, 'Reloaded');

  // And the stream goes on: the next change arrives as an event again.
  holdEvents = false;
  await server.api('PATCH', `/api/tasks/${task.id}`, { title: 'Live again' });
  await waitFor('a live event after the resync', async () => (await cardTitle(page, task).textContent()) === 'Live again');
  assert.deepEqual(page.errors, []);
});
