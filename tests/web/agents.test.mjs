// Issue point 1: the spawn controls offer the server's agent profiles — its default first, those
// whose command is missing disabled with the reason — never keep a name whose spawn failed, and
// say before anything starts when a role's brief would be empty.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Server, cleanup, launchBrowser, makeHome, openPage, waitFor } from './harness.mjs';

const env = {};
before(async () => {
  env.home = makeHome({
    agents: {
      listener: { command: '/bin/sh', args: ['-c', 'echo started; sleep 60'] },
      missing: { command: 'no-such-agent-binary' },
      broken: { command: './not-installed-here' }, // relative: judged only when it starts
    },
    defaultAgent: 'listener',
  });
  // An instruction-only skill for orchestrators: their brief has something, a worker's does not.
  const skill = path.join(env.home, 'maestro-skills', 'planner');
  mkdirSync(skill, { recursive: true });
  writeFileSync(path.join(skill, 'SKILL.md'), '---\nname: planner\ndescription: Plans the work\nroles: [orchestrator]\n---\n# Plan\nSplit the task.\n');
  env.server = await new Server(env.home).start();
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  cleanup(env.home);
});

test('the agent picker offers the server’s profiles and warns of an empty brief', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Agents', workingDir: home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Pick an agent' });
  const page = await openPage(browser, `${server.url}/#/p/${project.id}/t/${task.id}`);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  const picker = page.locator('[data-testid=agent]');
  await waitFor('the profiles', async () => (await picker.locator('option').count()) >= 4);

  assert.equal(await picker.inputValue(), 'listener', 'the server’s defaultAgent is chosen');
  const missing = picker.locator('option[data-name=missing]');
  assert.equal(await missing.isDisabled(), true);
  assert.match(await missing.textContent(), /command not found on PATH: no-such-agent-binary/);
  assert.equal(await picker.locator('option[data-name=listener]').isDisabled(), false);

  // The worker's brief would be empty, the orchestrator's not: said before anything starts.
  await page.locator('[data-testid=brief-warning][data-role=worker]').waitFor();
  assert.equal(await page.locator('[data-testid=brief-warning][data-role=orchestrator]').count(), 0);
  await page.keyboard.press('w');
  const dialog = page.locator('[data-testid=spawn-dialog]');
  await dialog.locator('[data-testid=brief-warning][data-role=worker]').waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(page.errors, []);
});

test('a profile whose spawn failed is not offered first again', async () => {
  const { server, browser, home } = env;
  const project = await server.api('POST', '/api/projects', { name: 'Failing', workingDir: home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Try a broken agent' });
  const url = `${server.url}/#/p/${project.id}/t/${task.id}`;
  const page = await openPage(browser, url);
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await page.locator('[data-testid=agent] option[data-name=broken]').waitFor({ state: 'attached' });

  await page.keyboard.press('w');
  await page.locator('[data-testid=spawn-dialog]').waitFor();
  await page.selectOption('[data-testid=spawn-agent]', 'broken');
  await page.click('[data-testid=spawn-start]');
  await page.locator('[data-testid=toast]', { hasText: 'command not found: ./not-installed-here' }).waitFor();
  assert.notEqual(await page.evaluate(() => localStorage.getItem('maestro.agent')), 'broken');

  await page.reload();
  await page.locator('[data-testid=connection][data-status=connected]').waitFor();
  await waitFor('the picker back on the default', async () => (await page.locator('[data-testid=agent]').inputValue()) === 'listener');

  // A spawn that starts is remembered.
  await page.click('[data-testid=spawn-worker]');
  await page.waitForURL(/\/s\/[^/]+$/);
  assert.equal(await page.evaluate(() => localStorage.getItem('maestro.agent')), 'listener');
  assert.deepEqual(page.errors, []);
});
