// Issue point 6: the connection badge tells a browser without network from a server that does
// not answer, counts down to the next attempt, and the attempts back off monotonically.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, serverAndBrowser, waitFor } from './harness.mjs';

const env = serverAndBrowser();
const badge = (page) => page.locator('[data-testid=connection]');
// The badge's text and status read in one evaluation, so the two always describe the same moment.
const badgeState = (page) =>
  badge(page).evaluate((el) => ({ text: el.textContent ?? '', status: el.getAttribute('data-status') }));
// Waits until the badge's text matches `text` while its status is `status`.
const waitForBadge = (page, what, text, status) =>
  waitFor(what, async () => {
    const state = await badgeState(page);
    if (text.test(state.text) && state.status === status) return state;
    throw new Error(`the badge says ${JSON.stringify(state.text)} with status ${state.status}`);
  });

test('browser offline and server unreachable are told apart, with a countdown and growing delays', async () => {
  const { server, browser } = env;
  let refuse = false;
  const attempts = [];
  const page = await openPage(browser, `${server.url}/#/`, {
    setup: (p) =>
      p.routeWebSocket(/\/ws$/, (ws) => {
        attempts.push(Date.now());
        if (refuse) return ws.close({ code: 1011, reason: 'test: server away' });
        ws.connectToServer();
      }),
  });
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();

  // The browser loses its network.
  await page.context().setOffline(true);
  await page.evaluate(() => dispatchEvent(new Event('offline')));
  await waitForBadge(page, '“Browser offline”', /Browser offline/, 'offline');
  await page.context().setOffline(false);
  await page.evaluate(() => dispatchEvent(new Event('online')));
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();

  // The server stops answering: “Server unreachable”, counting down.
  refuse = true;
  attempts.length = 0;
  await page.evaluate(() => dispatchEvent(new Event('offline'))); // drops the socket; navigator.onLine stays true
  await waitForBadge(page, '“Server unreachable”', /Server unreachable/, 'reconnecting');
  await waitForBadge(page, 'a countdown of whole seconds', /Server unreachable.*retry in \d+ s/, 'reconnecting');
  await waitFor('five refused attempts', () => attempts.length >= 5, { timeout: 30_000 });
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
  for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1] - 60, `delays never shrink: ${gaps}`);
  assert.ok(gaps.at(-1) > gaps[0], `delays grow: ${gaps}`);

  refuse = false;
  await badge(page).click(); // retry now
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  assert.deepEqual(page.errors, []);
});
