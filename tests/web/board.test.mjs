// Issue point 4: reordering inside a column by keyboard and by drag (the API's order), sorting
// and grouping by priority, the list and tree views, the command palette, subtasks opened in the
// panel, undo of a delete, the tab title, `c` back to the status a task had, and agent state on
// the cards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { focused, openPage, serverAndBrowser, waitFor } from './harness.mjs';

const env = serverAndBrowser({ agents: { failing: { command: '/bin/sh', args: ['-c', 'exit 3'] }, sleeper: { command: '/bin/sh', args: ['-c', 'sleep 60'] } } });

const cardTitles = (page, status) =>
  page.locator(`[data-testid=column-${status}] [data-testid=task-card] .card-title`).allTextContents();
const serverOrder = async (server, projectId, status) =>
  (await server.api('GET', `/api/tasks?projectId=${projectId}`))
    .filter((t) => t.parentId === null && t.status === status)
    .sort((a, b) => a.order - b.order)
    .map((t) => t.title);

test('cards reorder within a column by keyboard and by drag, and sort by priority', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Order', workingDir: home });
  for (const [title, priority] of [['A', 'low'], ['B', 'high'], ['C', 'medium']])
    await server.api('POST', '/api/tasks', { projectId: project.id, title, priority });
  const page = await openPage(browser, `${server.url}/#/p/${project.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await waitFor('three cards', async () => (await cardTitles(page, 'todo')).length === 3);

  // Alt+↓ on A, twice: to the bottom.
  await page.locator('[data-testid=task-card]', { hasText: 'A' }).focus();
  await page.keyboard.press('Alt+ArrowDown');
  await waitFor('A second', async () => (await cardTitles(page, 'todo')).join() === 'B,A,C');
  await page.keyboard.press('Alt+ArrowDown');
  await waitFor('A last', async () => (await cardTitles(page, 'todo')).join() === 'B,C,A');
  await waitFor('the server’s order', async () => (await serverOrder(server, project.id, 'todo')).join() === 'B,C,A');

  // Drag C above B.
  await page.locator('[data-testid=task-card]', { hasText: 'C' }).dragTo(page.locator('[data-testid=task-card]', { hasText: 'B' }), {
    targetPosition: { x: 20, y: 4 },
  });
  await waitFor('C first', async () => (await cardTitles(page, 'todo')).join() === 'C,B,A');
  await waitFor('the server’s order after the drag', async () => (await serverOrder(server, project.id, 'todo')).join() === 'C,B,A');

  // Sorted by priority: high, medium, low — the manual order is kept on the server.
  await page.selectOption('[data-testid=sort-by]', 'priority');
  await waitFor('priority order', async () => (await cardTitles(page, 'todo')).join() === 'B,C,A');
  assert.equal((await serverOrder(server, project.id, 'todo')).join(), 'C,B,A');
  await page.selectOption('[data-testid=sort-by]', 'manual');

  // Alt+→ moves a card to the next column.
  await page.locator('[data-testid=task-card]', { hasText: 'C' }).focus();
  await page.keyboard.press('Alt+ArrowRight');
  await waitFor('C in progress', async () => (await cardTitles(page, 'in_progress')).join() === 'C');
  assert.deepEqual(page.errors, []);
});

test('list grouped by priority, tree of subtasks, subtasks open in the panel, palette, c, undo, title, agent state', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Views', workingDir: home });
  const parent = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Parent', priority: 'high' });
  const child = await server.api('POST', `/api/tasks/${parent.id}/subtasks`, { title: 'Child step' });
  const other = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Other', priority: 'low' });
  const page = await openPage(browser, `${server.url}/#/p/${project.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await page.locator('[data-testid=task-card]').nth(1).waitFor();

  // List view grouped by priority.
  await page.click('[data-testid=view-list]');
  await page.selectOption('[data-testid=group-by]', 'priority');
  await page.locator('[data-testid=group-high] [data-testid=task-row]', { hasText: 'Parent' }).waitFor();
  await page.locator('[data-testid=group-low] [data-testid=task-row]', { hasText: 'Other' }).waitFor();
  assert.equal(await page.locator('[data-testid=group-medium]').count(), 0);

  // Tree view: the child under its parent; it opens in the panel.
  await page.click('[data-testid=view-tree]');
  await page.locator(`[data-testid=tree-node][data-task-id="${parent.id}"] [data-testid=tree-node][data-task-id="${child.id}"]`).waitFor();
  await page.click('[data-testid=view-board]');
  await page.locator('[data-testid=task-card]', { hasText: 'Parent' }).click();
  await page.locator('[data-testid=subtask-open]').click();
  await page.locator(`[data-testid=task-detail][data-task-id="${child.id}"]`).waitFor();

  // The palette moves the child to In progress.
  await page.keyboard.press('Control+k');
  await waitFor('the palette’s field focused', async () => (await focused(page)) === 'palette-input');
  await page.keyboard.type('move to in progress');
  await page.keyboard.press('Enter');
  await waitFor('child in progress on the server', async () => (await server.api('GET', `/api/tasks/${child.id}`)).status === 'in_progress');

  // c completes Other and c again returns it to in progress — the status it had.
  await page.goto(`${server.url}/#/p/${project.id}/t/${other.id}`);
  await page.locator('[data-testid=task-detail]').waitFor();
  await page.keyboard.press('2');
  await page.locator('[data-testid=column-in_progress] [data-testid=task-card]', { hasText: 'Other' }).waitFor();
  await waitFor('in progress on the server', async () => (await server.api('GET', `/api/tasks/${other.id}`)).status === 'in_progress');
  await page.keyboard.press('c');
  await waitFor('completed on the server', async () => (await server.api('GET', `/api/tasks/${other.id}`)).status === 'completed');
  await page.keyboard.press('c');
  await waitFor('back in progress on the server', async () => (await server.api('GET', `/api/tasks/${other.id}`)).status === 'in_progress');

  // Delete, then Undo within 5 s: the task is still on the server, and back on the board.
  await page.click('[data-testid=delete-task]');
  await page.locator('[data-testid=task-card]', { hasText: 'Other' }).waitFor({ state: 'detached' });
  await page.click('[data-testid=toast-action]');
  await page.locator('[data-testid=task-card]', { hasText: 'Other' }).waitFor();
  assert.equal((await server.api('GET', `/api/tasks/${other.id}`)).title, 'Other');
  assert.equal(await page.locator('[data-testid=pending]').count(), 0, 'nothing left in the queue');

  // A delete not undone reaches the server after the 5 s.
  await page.locator('[data-testid=task-card]', { hasText: 'Other' }).click();
  await page.click('[data-testid=delete-task]');
  await waitFor('deleted on the server', async () => (await fetch(`${server.url}/api/tasks/${other.id}`)).status === 404, { timeout: 12_000 });

  // Agent state on the card, and the tab title counts the failure.
  assert.equal(await page.title(), 'Views · Maestro');
  await server.api('POST', '/api/sessions/spawn', { taskIds: [parent.id], role: 'worker', agent: 'failing' }).catch(() => {});
  const chip = page.locator(`[data-testid=task-card][data-task-id="${parent.id}"] [data-testid=agent-state]`);
  await waitFor('failed on the card', async () => (await chip.count()) && (await chip.getAttribute('data-state')) === 'failed');
  await waitFor('the title counts it', async () => (await page.title()) === '(1) Views · Maestro');
  await server.api('POST', '/api/sessions/spawn', { taskIds: [parent.id], role: 'worker', agent: 'sleeper' });
  await waitFor('working on the card', async () => (await chip.getAttribute('data-state')) === 'working');
  await waitFor('the title clears', async () => (await page.title()) === 'Views · Maestro');
  assert.deepEqual(page.errors, []);
});
