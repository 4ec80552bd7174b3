// A session's changes panel (issue: worktree per session): the files with their +/- counts and
// a file's diff, live; overlap badges on both tasks' cards; merge with a strategy and discard,
// each confirmed; a conflict shown with its files; and no axe violation on the panel.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { axeViolations, openPage, serverAndBrowser, waitFor } from './harness.mjs';

// Agents that edit shared.txt (or a file of their own) in their worktree, then wait on stdin.
const edit = (file) => ({ command: '/bin/sh', args: ['-c', `printf '%s\\n' "$1" > ${file}; echo edited; exec cat`, 'sh', 'changed by {sessionId}'] });
const env = serverAndBrowser({
  agents: { shared: edit('shared.txt'), own: edit('own-{sessionId}.txt') },
  defaultAgent: 'shared',
});

function git(dir, ...args) {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
}

let repos = 0;
async function project(server, home) {
  const dir = path.join(home, `repo${++repos}`);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, 'shared.txt'), 'one\ntwo\nthree\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  const created = await server.api('POST', '/api/projects', { name: `Repo ${repos}`, workingDir: dir });
  return { dir, project: created };
}

async function spawn(server, taskId, agent) {
  const reply = await server.api('POST', '/api/sessions/spawn', { taskIds: [taskId], role: 'worker', agent });
  return reply.session;
}

const panel = (page, sessionId) => page.locator(`[data-testid=changes-panel][data-session-id="${sessionId}"]`);

test('the panel lists the changed files with their counts and shows a diff', async () => {
  const { server, browser, home } = env;
  const { project: p } = await project(server, home);
  const task = await server.api('POST', '/api/tasks', { projectId: p.id, title: 'Edit the shared file' });
  const session = await spawn(server, task.id, 'shared');
  for (const colorScheme of ['light', 'dark']) {
    const page = await openPage(browser, `${server.url}/#/p/${p.id}/s/${session.id}`, { colorScheme });
    const changes = panel(page, session.id);
    const file = changes.locator('[data-testid=change-file][data-path="shared.txt"]');
    await file.waitFor();
    assert.match(await file.innerText(), /M\s*shared\.txt\s*\+1\s*−3/);
    await page.locator('[data-testid=session-change-counts]').waitFor();
    await file.click();
    const diff = page.locator('[data-testid=diff-view]');
    await diff.waitFor();
    await waitFor('the diff', async () => (await diff.innerText()).includes(`changed by ${session.id}`));
    assert.deepEqual(await axeViolations(page, { include: '[data-testid=changes-panel]' }), []);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
  await server.api('POST', `/api/sessions/${session.id}/stop`, {});
});

test('two sessions changing one file mark both tasks, and the second merge shows the conflict', async () => {
  const { server, browser, home } = env;
  const { dir, project: p } = await project(server, home);
  const first = await server.api('POST', '/api/tasks', { projectId: p.id, title: 'First editor' });
  const second = await server.api('POST', '/api/tasks', { projectId: p.id, title: 'Second editor' });
  const a = await spawn(server, first.id, 'shared');
  const b = await spawn(server, second.id, 'shared');
  const page = await openPage(browser, `${server.url}/#/p/${p.id}`);
  for (const task of [first, second])
    await page.locator(`[data-testid=task-card][data-task-id="${task.id}"] [data-testid=overlap-badge]`).waitFor();

  await server.api('POST', `/api/sessions/${a.id}/stop`, {});
  await server.api('POST', `/api/sessions/${b.id}/stop`, {});
  await page.locator('[data-testid=overlap-badge]').first().waitFor({ state: 'detached' });
  await server.api('POST', `/api/sessions/${a.id}/merge`, {});

  await page.goto(`${server.url}/#/p/${p.id}/t/${second.id}`);
  const changes = panel(page, b.id);
  await changes.locator('[data-testid=change-file]').first().waitFor();
  await changes.locator('[data-testid=merge-open]').click();
  await changes.locator('[data-testid=merge-confirm]').click();
  const refusal = changes.locator('[data-testid=merge-refusal][data-code=merge_conflict]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /shared\.txt/);
  assert.equal(readFileSync(path.join(dir, 'shared.txt'), 'utf8'), `changed by ${a.id}\n`);
  assert.deepEqual(await axeViolations(page, { include: '[data-testid=changes-panel]' }), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('merge with a strategy and discard, each after a confirmation', async () => {
  const { server, browser, home } = env;
  const { dir, project: p } = await project(server, home);
  const task = await server.api('POST', '/api/tasks', { projectId: p.id, title: 'Mergeable' });
  const merged = await spawn(server, task.id, 'own');
  const discarded = await spawn(server, task.id, 'own');
  const page = await openPage(browser, `${server.url}/#/p/${p.id}/t/${task.id}`);

  // Live: confirming needs "stop the session first".
  const one = panel(page, merged.id);
  await one.locator('[data-testid=change-file]').first().waitFor();
  await one.locator('[data-testid=merge-open]').click();
  await one.locator('[data-testid=merge-strategy]').selectOption('squash');
  assert.equal(await one.locator('[data-testid=merge-confirm]').isDisabled(), true);
  await one.getByLabel(/Stop the session first/).check();
  await one.locator('[data-testid=merge-confirm]').click();
  await page.locator(`[data-testid=changes-panel][data-state=merged]`).waitFor();
  assert.equal(readFileSync(path.join(dir, `own-${merged.id}.txt`), 'utf8'), `changed by ${merged.id}\n`);
  assert.equal(git(dir, 'log', '-1', '--format=%P').trim().split(' ').length, 1); // squashed

  const two = panel(page, discarded.id);
  await two.locator('[data-testid=discard-open]').click();
  await two.getByLabel(/Stop the session first/).check();
  await two.locator('[data-testid=discard-confirm]').click();
  await page.locator(`[data-testid=changes-panel][data-state=discarded]`).waitFor();
  assert.equal(git(dir, 'branch', '--list', 'maestro/*').trim(), '');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a session that ended with changes waits in the inbox for review until it is merged', async () => {
  const { server, browser, home } = env;
  const { dir, project: p } = await project(server, home);
  const task = await server.api('POST', '/api/tasks', { projectId: p.id, title: 'Reviewable' });
  const session = await spawn(server, task.id, 'own');
  await waitFor('the edit', async () => (await server.api('GET', `/api/sessions/${session.id}/output`)).data.includes('edited'));
  await server.api('POST', `/api/sessions/${session.id}/stop`, {});

  const page = await openPage(browser, `${server.url}/#/p/${p.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await page.click('[data-testid=inbox-button]');
  const item = page.locator(`[data-testid=inbox-item][data-kind=review][data-item-id="review:${session.id}"]`);
  await item.waitFor();
  assert.equal(await item.locator('.pill').innerText(), 'to review');
  assert.match(await item.locator('[data-testid=inbox-summary]').innerText(), /1 file changed on maestro\/.*, waiting to merge$/);
  for (const v of await axeViolations(page, { include: '[data-testid=inbox]' })) assert.fail(JSON.stringify(v));

  // Its link opens the session, whose changes panel merges it; the item leaves the inbox live
  // (the other tests' sessions keep their own items, so the count alone would not say which).
  await item.locator('a.inbox-subject').click();
  const changes = panel(page, session.id);
  await changes.locator('[data-testid=merge-open]').click();
  await changes.locator('[data-testid=merge-confirm]').click();
  await page.locator('[data-testid=changes-panel][data-state=merged]').waitFor();
  await page.click('[data-testid=inbox-button]');
  await page.locator('[data-testid=inbox]').waitFor();
  await item.waitFor({ state: 'detached' });
  assert.equal((await server.api('GET', '/api/attention')).some((i) => i.id === `review:${session.id}`), false);
  assert.equal(readFileSync(path.join(dir, `own-${session.id}.txt`), 'utf8'), `changed by ${session.id}\n`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
