// Issue point 3: axe-core finds no serious or critical violation on any view or dialog in either
// theme; every dialog works from the keyboard alone — focus goes in, Tab stays inside, Esc closes
// and focus comes back; closing the task panel focuses its card; Esc then Tab leaves a terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, focused, openPage, serverAndBrowser, waitFor } from './harness.mjs';

const env = serverAndBrowser({ agents: { shell: { command: '/bin/sh', args: ['-c', 'echo ready; cat'] } }, defaultAgent: 'shell' });

async function seed(server, home) {
  const project = await server.api('POST', '/api/projects', { name: 'Accessible', workingDir: home });
  const tasks = {};
  for (const [status, priority] of [['todo', 'low'], ['in_progress', 'high'], ['blocked', 'medium'], ['completed', 'medium'], ['cancelled', 'low']]) {
    const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: `A ${status} task`, priority });
    if (status === 'blocked') await server.api('PATCH', `/api/tasks/${task.id}`, { status, blockedReason: 'Waiting for the review' });
    else if (status !== 'todo') await server.api('PATCH', `/api/tasks/${task.id}`, { status });
    tasks[status] = task;
  }
  await server.api('POST', `/api/tasks/${tasks.in_progress.id}/subtasks`, { title: 'Step one' });
  const spawned = await server.api('POST', '/api/sessions/spawn', { taskIds: [tasks.in_progress.id], role: 'worker', agent: 'shell' });
  return { project, tasks, sessionId: spawned.sessionId };
}

test('no serious or critical axe violation on any view or dialog, light and dark', async () => {
  const { server, browser, home } = env;
  const { project, tasks, sessionId } = await seed(server, home);
  const board = `${server.url}/#/p/${project.id}`;
  const views = [
    ['projects', `${server.url}/#/`, (p) => p.locator('[data-testid=project-card]').waitFor()],
    ['board', board, (p) => p.locator('[data-testid=task-card]').nth(4).waitFor()],
    ['list', board, async (p) => (await p.click('[data-testid=view-list]'), p.locator('[data-testid=task-row]').nth(4).waitFor())],
    ['tree', board, async (p) => (await p.click('[data-testid=view-tree]'), p.locator('[data-testid=tree-node]').nth(5).waitFor())],
    ['task panel', `${board}/t/${tasks.in_progress.id}`, (p) => p.locator('[data-testid=subtask]').waitFor()],
    ['sessions', `${board}/s/${sessionId}`, (p) => waitFor('output', async () => (await p.locator('.xterm-rows').innerText()).includes('ready'))],
  ];
  const dialogs = [
    ['help', '?', 'help'],
    ['palette', 'Control+k', 'palette'],
    ['project picker', 'p', 'project-picker'],
    ['block', 'x', 'block-dialog'],
    ['spawn', 'w', 'spawn-dialog'],
  ];
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const [name, url, ready] of views) {
      const page = await openPage(browser, url, { colorScheme });
      await page.locator('[data-testid=connection][data-status=connected]').waitFor();
      await ready(page);
      await page.evaluate(() => document.fonts.ready);
      for (const v of await axeViolations(page)) found.push({ view: `${name} (${colorScheme})`, ...v });
      if (name === 'task panel')
        for (const [dialog, key, testId] of dialogs) {
          await page.keyboard.press(key);
          await page.locator(`[data-testid=${testId}]`).waitFor();
          for (const v of await axeViolations(page)) found.push({ view: `${dialog} dialog (${colorScheme})`, ...v });
          await page.keyboard.press('Escape');
          await page.locator(`[data-testid=${testId}]`).waitFor({ state: 'detached' });
        }
      if (name === 'projects') {
        await page.click('[data-testid=new-project]');
        await page.locator('[data-testid=new-project-dialog]').waitFor();
        for (const v of await axeViolations(page)) found.push({ view: `new project dialog (${colorScheme})`, ...v });
      }
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
  assert.deepEqual(found, [], JSON.stringify(found, null, 1));
});

test('every dialog works from the keyboard alone and gives focus back', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Keys only', workingDir: home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Keyboard task' });
  const page = await openPage(browser, `${server.url}/#/p/${project.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  const card = page.locator(`[data-testid=task-card][data-task-id="${task.id}"]`);
  await card.waitFor();

  // The task panel: Enter opens it, Esc closes it and the card has focus again.
  await page.keyboard.press('j');
  await waitFor('the card focused', async () => (await focused(page)) === 'task-card');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=task-detail]').waitFor();
  await waitFor('focus in the panel', () => page.locator('[data-testid=task-detail]').evaluate((el) => el.contains(document.activeElement)));
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=task-detail]').waitFor({ state: 'detached' });
  await waitFor('focus back on the card', () => card.evaluate((el) => el === document.activeElement));

  const dialogs = [
    ['?', 'help'],
    ['Control+k', 'palette'],
    ['p', 'project-picker'],
  ];
  for (const [key, testId] of dialogs) {
    await card.focus();
    await page.keyboard.press(key);
    const dialog = page.locator(`[data-testid=${testId}]`);
    await dialog.waitFor();
    await waitFor(`${testId}: focus inside`, () => dialog.evaluate((el) => el.contains(document.activeElement)));
    // Twenty Tabs forwards and back never leave it.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press(i < 10 ? 'Tab' : 'Shift+Tab');
      assert.equal(await dialog.evaluate((el) => el.contains(document.activeElement)), true, `${testId}: focus stays inside after ${i + 1} keys`);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await waitFor(`${testId}: focus back on the card`, () => card.evaluate((el) => el === document.activeElement));
  }

  // The palette runs an action chosen by typing; the block dialog takes its reason; Enter confirms.
  await page.keyboard.press('Control+k');
  await waitFor('the palette’s field focused', async () => (await focused(page)) === 'palette-input');
  await page.keyboard.type('open task keyboard');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=task-detail]').waitFor();
  await page.keyboard.press('x');
  await waitFor('the reason field focused', async () => (await focused(page)) === 'block-reason');
  await page.keyboard.type('Needs keys');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=blocked-reason]', { hasText: 'Needs keys' }).waitFor();

  // New project dialog, from the project picker, by keyboard.
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=task-detail]').waitFor({ state: 'detached' });
  await page.keyboard.press('p');
  await page.locator('[data-testid=project-picker]').waitFor();
  // The dialog focuses its field just after it paints; keys pressed before that land elsewhere.
  await waitFor('the find field focused', () => page.locator('[data-testid=project-picker] input').evaluate((el) => el === document.activeElement));
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown'); // past the projects, onto “New project…”
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=new-project-dialog]').waitFor();
  await waitFor('the name field focused', async () => (await focused(page)) === 'project-name');
  await page.keyboard.type('Typed project');
  await page.keyboard.press('Enter');
  await waitFor('the project on the server', async () => (await server.api('GET', '/api/projects')).some((p) => p.name === 'Typed project'));
  assert.deepEqual(page.errors, []);
});

test('Esc then Tab leaves a terminal; other keys reach the session', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Terminal keys', workingDir: home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Terminal task' });
  const spawned = await server.api('POST', '/api/sessions/spawn', { taskIds: [task.id], role: 'worker', agent: 'shell' });
  const page = await openPage(browser, `${server.url}/#/p/${project.id}/s/${spawned.sessionId}`);
  const terminal = page.locator('[data-testid=terminal]');
  await waitFor('output', async () => (await terminal.locator('.xterm-rows').innerText()).includes('ready'));
  await terminal.click();
  const inTerminal = () => terminal.evaluate((el) => el.contains(document.activeElement));
  await page.keyboard.press('Tab'); // a plain Tab is the program's
  assert.equal(await inTerminal(), true);
  await page.keyboard.type('echoed');
  await page.keyboard.press('Enter');
  await waitFor('cat echoes it', async () => (await terminal.locator('.xterm-rows').innerText()).includes('echoed'));
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.equal(await inTerminal(), false, 'Esc, Tab left the terminal');
  await terminal.click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await inTerminal(), false, 'Esc, Shift+Tab left it backwards');
  assert.deepEqual(page.errors, []);
});
