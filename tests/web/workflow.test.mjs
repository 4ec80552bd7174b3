// The everyday path, mostly from the keyboard: create a project, add a task, open it, add a
// subtask, block and unblock it, switch theme, read the help.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, serverAndBrowser, waitFor } from './harness.mjs';

const env = serverAndBrowser();

test('create a project and work a task from the keyboard', async () => {
  const { server, browser, home } = env;
  const page = await openPage(browser, `${server.url}/`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();

  // A new project, from the empty home page.
  await page.click('[data-testid=new-project]');
  await page.fill('[data-testid=project-name]', 'Keyboard');
  await page.fill('[data-testid=project-dir]', home);
  await page.click('[data-testid=project-create]');
  await page.waitForURL(/#\/p\/proj_/);
  const projects = await server.api('GET', '/api/projects');
  assert.deepEqual(projects.map((p) => [p.name, p.workingDir]), [['Keyboard', home]]);
  const projectId = projects[0].id;
  await waitFor('the switcher names it', async () => (await page.locator('[data-testid=project-switch]').textContent()).includes('Keyboard'));

  // n: new task.
  await page.keyboard.press('n');
  await page.keyboard.type('Keyboard task');
  await page.keyboard.press('Enter');
  const card = page.locator('[data-testid=task-card]', { hasText: 'Keyboard task' });
  await card.waitFor();
  await waitFor('the task on the server', async () => (await server.api('GET', `/api/tasks?projectId=${projectId}`)).length === 1);
  await page.keyboard.press('Escape'); // leave the input

  // j, Enter: open it.
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=task-detail]').waitFor();
  const [task] = await server.api('GET', `/api/tasks?projectId=${projectId}`);
  assert.equal(await page.locator('[data-testid=task-detail]').getAttribute('data-task-id'), task.id);

  // a: add a subtask.
  await page.keyboard.press('a');
  await page.keyboard.type('First step');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=subtask][data-title="First step"]').waitFor();
  await page.locator('[data-testid=new-subtask]').blur();

  // x: block, with a reason; x again: unblock.
  await page.keyboard.press('x');
  await page.locator('[data-testid=block-dialog]').waitFor();
  // The dialog focuses its field just after it paints; keys typed before that land elsewhere.
  await waitFor('the reason field focused', () =>
    page.locator('[data-testid=block-reason]').evaluate((field) => field === document.activeElement));
  await page.keyboard.type('Needs a decision');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=blocked-reason]', { hasText: 'Needs a decision' }).waitFor();
  await page.locator('[data-testid=column-blocked] [data-testid=task-card]').waitFor();
  await waitFor('blocked on the server', async () => {
    const t = await server.api('GET', `/api/tasks/${task.id}`);
    return t.status === 'blocked' && t.blockedReason === 'Needs a decision';
  });
  await page.keyboard.press('x');
  await page.locator('[data-testid=column-todo] [data-testid=task-card]').waitFor();
  await waitFor('unblocked on the server', async () => {
    const t = await server.api('GET', `/api/tasks/${task.id}`);
    return t.status === 'todo' && t.blockedReason === null;
  });

  // 2: in progress; c: complete.
  await page.keyboard.press('2');
  await page.locator('[data-testid=column-in_progress] [data-testid=task-card]').waitFor();
  await page.keyboard.press('c');
  await page.locator('[data-testid=column-completed] [data-testid=task-card]').waitFor();

  // Esc closes the panel; t switches the theme; ? shows the help.
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=task-detail]').waitFor({ state: 'detached' });
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? 'system');
  await page.keyboard.press('t');
  assert.equal(await theme(), 'dark');
  await page.keyboard.press('t');
  assert.equal(await theme(), 'light');
  await page.keyboard.press('?');
  await page.locator('[data-testid=help]').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=help]').waitFor({ state: 'detached' });

  // p: the project switcher lists it.
  await page.keyboard.press('p');
  await page.locator('[data-testid=project-picker]', { hasText: 'Keyboard' }).waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(page.errors, []);
});
