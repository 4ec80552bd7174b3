// Issue point 6: the connection badge tells a browser without network from a server that does
// not answer, counts down to the next attempt, and the attempts back off monotonically.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, serverAndBrowser, waitFor } from './harness.mjs';

const env = serverAndBrowser();
const badge = (page) => page.locator('[data-testid=connection]');

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
  await waitFor('“Browser offline”', async () => /Browser offline/.test(await badge(page).textContent()));
  assert.equal(await badge(page).getAttribute('data-status'), 'offline');
  await page.context().setOffline(false);
  await page.evaluate(() => dispatchEvent(new Event('online')));
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();

  // The server stops answering: “Server unreachable”, counting down.
  refuse = true;
  attempts.length = 0;
  await page.evaluate(() => dispatchEvent(new Event('offline'))); // drops the socket; navigator.onLine stays true
  await waitFor('“Server unreachable”', async () => /Server unreachable/.test(await badge(page).textContent()));
  assert.equal(await badge(page).getAttribute('data-status'), 'reconnecting');
  await waitFor('a countdown of whole seconds', async () => /retry in \d+ s/.test(await badge(page).textContent()));
  await waitFor('five refused attempts', () => attempts.length >= 5, { timeout: 30_000 });
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
  for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1] - 60, `delays never shrink: ${gaps}`);
  assert.ok(gaps.at(-1) > gaps[0], `delays grow: ${gaps}`);

  refuse = false;
  await badge(page).click(); // retry now
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  assert.deepEqual(page.errors, []);
});
