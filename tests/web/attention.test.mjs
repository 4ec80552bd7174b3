// Activity on session cards and the attention inbox: an agent asking a yes/no question shows
// "needs input", appears in the inbox with its screen, is answered from the inbox's reply box,
// and a new question raises a browser notification.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, serverAndBrowser, waitFor } from './harness.mjs';

// Works, asks, and prints the answer it read.
const ASKER = {
  command: '/bin/sh',
  args: ['-c', 'echo preparing the migration; printf "Overwrite notes.txt? (y/n) "; read a; echo "answer:$a"; exec sleep 600'],
  idleAfterMs: 500,
};

const env = serverAndBrowser({ agents: { asker: ASKER } });

// Records the notifications the page raises, with the permission already given.
function recordNotifications(page) {
  return page.addInitScript(() => {
    window.__notifications = [];
    window.Notification = class {
      static permission = 'granted';
      static requestPermission() {
        return Promise.resolve('granted');
      }
      constructor(title, options) {
        window.__notifications.push({ title, body: options?.body });
      }
    };
  });
}

test('a question shows as needs input, in the inbox, and is answered from it', async (t) => {
  const { server, browser, home } = env;
  const probe = await fetch(`${server.url}/api/attention`);
  if (probe.status === 404) return t.skip('this maestro-server has no attention inbox');

  const project = await server.api('POST', '/api/projects', { name: 'Inbox', workingDir: home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Migrate notes' });
  const spawned = await server.api('POST', '/api/sessions/spawn', { taskIds: [task.id], agent: 'asker' });
  const sessionId = spawned.sessionId;

  const page = await openPage(browser, `${server.url}/#/p/${project.id}/s/${sessionId}`, { setup: recordNotifications });
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();

  // The session card says what the agent does.
  const card = page.locator(`[data-testid=session-item][data-session-id="${sessionId}"]`);
  await card.locator('[data-testid=session-activity][data-activity=needs_input]').waitFor();

  // The header counts it; the inbox shows the question and the screen around it.
  await page.locator('[data-testid=inbox-button][data-count="1"]').waitFor();
  await page.click('[data-testid=inbox-button]');
  const item = page.locator('[data-testid=inbox-item][data-kind=needs_input]');
  await item.waitFor();
  assert.equal(await item.locator('[data-testid=inbox-summary]').innerText(), 'Overwrite notes.txt? (y/n)');
  await waitFor('the screen tail', async () => (await item.locator('[data-testid=inbox-screen]').innerText()).includes('preparing the migration'));

  // Answering from the inbox types into the terminal; the question is gone.
  await item.locator('[data-testid=inbox-reply]').fill('y');
  await item.locator('[data-testid=inbox-send]').click();
  await page.locator('[data-testid=inbox-button][data-count="0"]').waitFor();
  await waitFor('the agent to read the answer', async () => {
    const output = await server.api('GET', `/api/sessions/${sessionId}/output`);
    return output.data.includes('answer:y');
  });
  await card.locator('[data-testid=session-activity]:not([data-activity=needs_input])').waitFor();

  // A new question while the page is open raises a notification; dismissing clears it.
  const second = await server.api('POST', '/api/sessions/spawn', { taskIds: [task.id], agent: 'asker' });
  const notes = await waitFor('a notification', async () => {
    const raised = await page.evaluate(() => window.__notifications);
    return raised.length > 0 && raised;
  });
  assert.equal(notes.length, 1);
  assert.equal(notes[0].body, 'Overwrite notes.txt? (y/n)');
  const secondItem = page.locator(`[data-testid=inbox-item][data-item-id^="needs_input:${second.sessionId}:"]`);
  await secondItem.locator('[data-testid=inbox-dismiss]').click();
  await page.locator('[data-testid=inbox-button][data-count="0"]').waitFor();
  const inbox = await server.api('GET', '/api/attention');
  assert.deepEqual(inbox, []);
  assert.deepEqual(page.errors, []);
});
