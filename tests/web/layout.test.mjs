// Issue point 2: the board, the task panel and a terminal at 390×844 (a phone), 768×1024 (a
// tablet) and 1280×800 (a laptop): nothing wider than the viewport, no sideways scrolling, the
// filter reachable, the panel a full-screen sheet on the phone and beside all five columns on
// the laptop, and the terminal's columns fitted to its width.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, overflow, serverAndBrowser, waitFor } from './harness.mjs';

// Prints the terminal size it has whenever it reads a line.
const env = serverAndBrowser({ agents: { sizer: { command: '/bin/sh', args: ['-c', 'stty size; while read l; do stty size; done'] } }, defaultAgent: 'sizer' });

const SIZES = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
];

test('board, task panel and terminal fit phones, tablets and laptops', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'A project with a rather long name for a phone', workingDir: home });
  const ids = {};
  for (const status of ['todo', 'in_progress', 'blocked', 'completed', 'cancelled']) {
    const task = await server.api('POST', '/api/tasks', {
      projectId: project.id,
      title: `A ${status} task whose title is long enough to wrap onto several lines`,
      priority: 'high',
    });
    if (status === 'blocked') await server.api('PATCH', `/api/tasks/${task.id}`, { status, blockedReason: 'Waiting for a decision from someone' });
    else if (status !== 'todo') await server.api('PATCH', `/api/tasks/${task.id}`, { status });
    ids[status] = task.id;
  }
  await server.api('POST', `/api/tasks/${ids.in_progress}/subtasks`, { title: 'A subtask' });
  const spawn = await server.api('POST', '/api/sessions/spawn', { taskIds: [ids.in_progress], role: 'worker', agent: 'sizer' });

  for (const viewport of SIZES) {
    const label = `${viewport.width}×${viewport.height}`;
    const page = await openPage(browser, `${server.url}/#/p/${project.id}`, { viewport });
    await page.locator('[data-testid=connection][data-status=connected]').waitFor();
    await waitFor(`${label}: five cards`, async () => (await page.locator('[data-testid=task-card]').count()) === 5);
    let o = await overflow(page);
    assert.deepEqual(o.tooWide, [], `${label} board`);
    assert.equal(o.scrollWidth, viewport.width, `${label}: the board page does not scroll sideways`);
    assert.equal(await page.locator('[data-testid=filter]').isVisible(), true, `${label}: the filter is shown`);

    // The task panel.
    await page.locator(`[data-testid=task-card][data-task-id="${ids.in_progress}"]`).click();
    const panel = page.locator('[data-testid=task-detail]');
    await panel.waitFor();
    o = await overflow(page);
    assert.deepEqual(o.tooWide, [], `${label} panel`);
    assert.equal(o.scrollWidth, viewport.width, `${label}: the panel page does not scroll sideways`);
    const box = await panel.boundingBox();
    if (viewport.width < 700) {
      assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, viewport.width, viewport.height], 'a full-screen sheet on the phone');
    } else if (viewport.width >= 1024) {
      // Beside the board: every column is still a visible drop target.
      for (const status of Object.keys(ids)) {
        const column = await page.locator(`[data-testid=column-${status}]`).boundingBox();
        assert.ok(column.x >= 0 && column.x + column.width <= box.x + 1, `${label}: ${status} column left of the panel`);
      }
    }
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    // The terminal: its columns fill its width and the process sees that size.
    await page.goto(`${server.url}/#/p/${project.id}/s/${spawn.sessionId}`);
    const host = page.locator('[data-testid=terminal]');
    await host.locator('.xterm-rows').waitFor();
    o = await overflow(page);
    assert.deepEqual(o.tooWide, [], `${label} terminal`);
    assert.equal(o.scrollWidth, viewport.width, `${label}: the terminal page does not scroll sideways`);
    const fit = await host.evaluate((el) => {
      const screen = el.querySelector('.xterm-screen').getBoundingClientRect();
      const rows = el.querySelector('.xterm-rows').getBoundingClientRect();
      return { hostRight: el.getBoundingClientRect().right, screenRight: screen.right, screenWidth: screen.width, rowsWidth: rows.width };
    });
    assert.ok(fit.screenRight <= viewport.width && fit.screenRight <= fit.hostRight + 1, `${label}: the terminal ends inside the page ${JSON.stringify(fit)}`);
    assert.ok(fit.screenWidth > (fit.hostRight - 40) * 0.5, `${label}: the terminal uses its width ${JSON.stringify(fit)}`);
    await host.click();
    await page.keyboard.type(`size-${viewport.width}`);
    await page.keyboard.press('Enter');
    const cols = await waitFor(`${label}: the process reports its size`, async () => {
      const text = await host.locator('.xterm-rows').innerText();
      const m = [...text.matchAll(new RegExp(`size-${viewport.width}\\s+(\\d+) (\\d+)`, 'g'))].at(-1);
      return m && Number(m[2]);
    });
    const charWidth = await host.evaluate((el) => {
      const screen = el.querySelector('.xterm-screen').getBoundingClientRect().width;
      return screen;
    });
    assert.ok(cols >= 20, `${label}: ${cols} columns`);
    assert.ok(charWidth / cols >= 5 && charWidth / cols <= 12, `${label}: ${cols} columns in ${charWidth}px`);
    await page.context().close();
  }
});
