// docs/openapi.yaml is the API's contract: the route table has exactly its routes, and the real
// server's answers — successes and errors — validate against it, for every operation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { IDLE_AGENT_CONFIG, startServer } from '../support/server.mjs';
import { contractClient, doc, documentedRoutes, routeTable, unexercised } from './contract.mjs';

const skillsDir = process.env.MAESTRO_DEFAULT_SKILLS_DIR;

test('the route table and docs/openapi.yaml name the same routes', () => {
  const table = routeTable();
  const documented = documentedRoutes();
  assert.deepEqual(table.filter((r) => !documented.includes(r)), [], 'routes missing from docs/openapi.yaml');
  assert.deepEqual(documented.filter((r) => !table.includes(r)), [], 'documented routes the server does not have');
});

test('projects, tasks and subtasks answer as documented', async (t) => {
  const server = await startServer({ prefix: 'maestro-contract-' });
  t.after(server.stop);
  const { expect } = contractClient(server.url);

  await expect(200, 'GET', '/health');
  await expect(200, 'GET', '/api/health');

  const project = await expect(201, 'POST', '/api/projects', { body: { name: 'Compiler', workingDir: server.home } });
  await expect(200, 'GET', '/api/projects');
  await expect(200, 'GET', `/api/projects/${project.id}`);
  await expect(200, 'PUT', `/api/projects/${project.id}`, { body: { description: 'A compiler' } });
  await expect(200, 'PATCH', `/api/projects/${project.id}`, { body: { name: 'Compiler 2' } });
  await expect(412, 'PATCH', `/api/projects/${project.id}`, { body: { name: 'x' }, headers: { 'If-Match': '1' } });
  await expect(400, 'POST', '/api/projects', { body: '{"name":' });
  await expect(400, 'POST', '/api/projects', { body: { name: 7 } });
  await expect(404, 'GET', '/api/projects/proj_missing');

  const dependency = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'Lexer' } });
  const task = await expect(201, 'POST', '/api/tasks', {
    body: { projectId: project.id, title: 'Parser', priority: 'high', dependencies: [dependency.id] },
  });
  await expect(200, 'GET', `/api/tasks?projectId=${project.id}&parentId=null`);
  await expect(200, 'GET', `/api/tasks/${task.id}`);
  await expect(200, 'GET', `/api/tasks/${task.id}`); // from the cache
  await expect(200, 'PATCH', `/api/tasks/${task.id}`, { body: { status: 'blocked', blockedReason: 'the lexer' } });
  await expect(200, 'PATCH', `/api/tasks/${task.id}`, { body: { status: 'in_progress' } });
  await expect(400, 'PATCH', `/api/tasks/${task.id}`, { body: { status: 'nope' } });
  await expect(400, 'PATCH', `/api/tasks/${task.id}`, { body: { projectId: 'proj_other' } });
  await expect(404, 'GET', '/api/tasks/task_missing');
  await expect(200, 'POST', `/api/tasks/${task.id}/timeline`, { body: { message: 'halfway' } });
  await expect(200, 'GET', `/api/tasks/${task.id}/brief?role=orchestrator`);
  await expect(400, 'GET', `/api/tasks/${task.id}/brief?role=boss`);
  await expect(404, 'GET', `/api/tasks/${task.id}/brief?sessionId=sess_missing`);

  const first = await expect(201, 'POST', `/api/tasks/${task.id}/subtasks`, { body: { title: 'Expressions' } });
  const second = await expect(201, 'POST', `/api/tasks/${task.id}/subtasks`, { body: { title: 'Statements' } });
  await expect(200, 'GET', `/api/tasks/${task.id}/subtasks`);
  await expect(200, 'GET', `/api/tasks/${task.id}/children`);
  await expect(200, 'GET', `/api/tasks/${task.id}/subtasks/${first.id}`);
  await expect(404, 'GET', `/api/tasks/${dependency.id}/subtasks/${first.id}`);
  await expect(200, 'PATCH', `/api/tasks/${task.id}/subtasks/${first.id}`, { body: { completed: true } });
  await expect(200, 'POST', `/api/tasks/${task.id}/subtasks/reorder`, { body: { order: [second.id, first.id] } });
  await expect(400, 'POST', `/api/tasks/${task.id}/subtasks/reorder`, { body: { order: [second.id] } });
  await expect(200, 'DELETE', `/api/tasks/${task.id}/subtasks/${second.id}`);

  await expect(200, 'GET', `/api/status?projectId=${project.id}`);
  await expect(200, 'GET', '/api/events?since=0&limit=5');
  await expect(400, 'GET', '/api/events?since=minus');

  await expect(409, 'DELETE', `/api/projects/${project.id}`);
  await expect(200, 'DELETE', `/api/tasks/${task.id}`);
  await expect(200, 'DELETE', `/api/tasks/${dependency.id}`);
  await expect(200, 'DELETE', `/api/projects/${project.id}`);

});

test('sessions, their queue, spawns and skills answer as documented', async (t) => {
  const server = await startServer({
    prefix: 'maestro-contract-',
    env: skillsDir ? { MAESTRO_SKILLS_PATH: skillsDir } : {},
  });
  t.after(server.stop);
  const { call, expect } = contractClient(server.url);

  const project = await expect(201, 'POST', '/api/projects', { body: { name: 'Compiler', workingDir: server.home } });
  const a = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'A' } });
  const b = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'B' } });
  const c = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'C' } });

  // A session a client runs itself.
  const own = await expect(201, 'POST', '/api/sessions', {
    body: { projectId: project.id, taskIds: [a.id], name: 'client', status: 'running' },
  });
  await expect(200, 'GET', `/api/sessions?projectId=${project.id}`);
  await expect(200, 'GET', '/api/sessions?active=true');
  await expect(200, 'GET', `/api/sessions/${own.id}`);
  await expect(200, 'PATCH', `/api/sessions/${own.id}`, { body: { name: 'renamed', status: 'idle' } });
  await expect(200, 'POST', `/api/sessions/${own.id}/timeline`, { body: { message: 'started', taskId: a.id } });
  await expect(200, 'POST', `/api/sessions/${own.id}/events`, { body: { type: 'file_modified', data: { file: 'a.c' } } });
  await expect(400, 'POST', `/api/sessions/${own.id}/events`, { body: {} });
  await expect(404, 'GET', '/api/sessions/sess_missing');
  await expect(400, 'GET', `/api/sessions/${own.id}/queue`); // not a queue session

  // A queue session works through its tasks.
  const queued = await expect(201, 'POST', '/api/sessions', {
    body: { projectId: project.id, taskIds: [a.id, b.id], strategy: 'queue', status: 'running' },
  });
  const q = `/api/sessions/${queued.id}/queue`;
  await expect(200, 'GET', q);
  await expect(200, 'GET', `${q}/top`);
  await expect(200, 'GET', `${q}/items`);
  await expect(400, 'POST', `${q}/complete`);
  await expect(200, 'POST', `${q}/start`);
  await expect(200, 'POST', `${q}/complete`);
  await expect(200, 'POST', `${q}/push`, { body: { taskId: c.id } });
  await expect(200, 'POST', `${q}/start`);
  await expect(200, 'POST', `${q}/fail`, { body: { reason: 'it broke' } });
  await expect(200, 'POST', `${q}/skip`);
  await expect(200, 'POST', `${q}/start`); // empty now

  // A session the server spawns and stops.
  await expect(200, 'GET', '/api/agents');
  const spawned = await expect(201, 'POST', '/api/sessions/spawn', { body: { taskIds: [b.id], role: 'worker' } });
  const id = spawned.sessionId;
  await expect(400, 'POST', '/api/sessions/spawn', { body: { taskIds: [b.id], role: 'boss' } });
  await expect(200, 'POST', `/api/sessions/${id}/input`, { body: { data: 'hello\r' } });
  await expect(200, 'POST', `/api/sessions/${id}/resize`, { body: { cols: 100, rows: 30 } });
  await expect(200, 'GET', `/api/sessions/${id}/output?since=0`);
  await expect(200, 'GET', `/api/sessions/${id}/screen`);
  await expect(200, 'POST', `/api/sessions/${id}/activity`, { body: { activity: 'needs_input', reason: 'Proceed?' } });
  await expect(400, 'POST', `/api/sessions/${id}/activity`, { body: { activity: 'dancing' } });
  const inbox = await expect(200, 'GET', `/api/attention?projectId=${project.id}`);
  await expect(200, 'POST', '/api/attention/dismiss', { body: { ids: [...inbox.map((item) => item.id), 'needs_input:nothing:1'] } });
  await expect(400, 'POST', '/api/attention/dismiss', { body: { ids: [] } });
  await expect(409, 'POST', `/api/sessions/${id}/claim`);
  await expect(409, 'DELETE', `/api/sessions/${id}`);
  await expect(200, 'POST', `/api/sessions/${id}/stop`);
  await expect(409, 'POST', `/api/sessions/${id}/stop`);
  await expect(409, 'POST', `/api/sessions/${id}/input`, { body: { data: 'late' } });
  await expect(200, 'DELETE', `/api/sessions/${id}`);
  await expect(200, 'DELETE', `/api/sessions/${own.id}`);

  // Skills (the default ones, when the build's are given).
  await expect(200, 'GET', '/api/skills');
  await expect(200, 'GET', '/api/skills/role/worker');
  await expect(200, 'POST', '/api/skills/rescan');
  await expect(404, 'GET', '/api/skills/no-such-skill');
  await expect(404, 'POST', '/api/skills/no-such-skill/reload');
  if (skillsDir) {
    await expect(200, 'GET', '/api/skills/maestro-worker');
    await expect(200, 'POST', '/api/skills/maestro-worker/reload');
  }

  // MCP over Streamable HTTP: initialize, a notification, the end of the MCP session.
  const accept = { Accept: 'application/json, text/event-stream' };
  const init = await call('POST', '/mcp', {
    headers: accept,
    body: {
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'contract', version: '1' } },
    },
  });
  assert.equal(init.status, 200);
  const mcpSession = init.headers.get('mcp-session-id');
  assert.ok(mcpSession);
  const notified = await call('POST', '/mcp', {
    headers: { ...accept, 'Mcp-Session-Id': mcpSession },
    body: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  assert.equal(notified.status, 202);
  const missing = await call('POST', '/mcp', { headers: accept, body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } });
  assert.equal(missing.status, 400);
  const ended = await call('DELETE', '/mcp', { headers: { 'Mcp-Session-Id': mcpSession } });
  assert.ok(ended.status === 200 || ended.status === 204, `DELETE /mcp → ${ended.status}`);
});

test('a client-mode spawn is claimed as documented', async (t) => {
  const server = await startServer({ prefix: 'maestro-contract-', config: { ...IDLE_AGENT_CONFIG, spawner: 'client' } });
  t.after(server.stop);
  const { expect } = contractClient(server.url);
  const project = await expect(201, 'POST', '/api/projects', { body: { name: 'Compiler', workingDir: server.home } });
  const task = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'A' } });
  const spawned = await expect(201, 'POST', '/api/sessions/spawn', { body: { taskIds: [task.id] } });
  const claimed = await expect(200, 'POST', `/api/sessions/${spawned.sessionId}/claim`, { body: { pid: 4242 } });
  assert.equal(claimed.status, 'running');
  await expect(409, 'POST', `/api/sessions/${spawned.sessionId}/claim`);
});

test('worktrees, overlaps, timeline pages and nodes answer as documented', async (t) => {
  const server = await startServer({ prefix: 'maestro-contract-' });
  t.after(server.stop);
  const { call, expect } = contractClient(server.url);
  await expect(200, 'GET', '/api/nodes');

  const repo = path.join(server.home, 'repo');
  mkdirSync(repo);
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Contract');
  git('config', 'user.email', 'contract@example.com');
  writeFileSync(path.join(repo, 'a.txt'), 'base\n');
  git('add', 'a.txt');
  git('commit', '-q', '-m', 'base');

  const project = await expect(201, 'POST', '/api/projects', {
    body: { name: 'Repo', workingDir: repo, isolation: 'worktree' },
  });
  const task = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'Edit a.txt' } });
  await expect(200, 'GET', `/api/tasks/${task.id}/timeline?limit=10`);
  await expect(400, 'GET', `/api/tasks/${task.id}/timeline?before=no-such-entry`);
  await expect(404, 'GET', '/api/tasks/task_missing/timeline');

  const one = (await expect(201, 'POST', '/api/sessions/spawn', { body: { taskIds: [task.id] } })).session;
  const two = (await expect(201, 'POST', '/api/sessions/spawn', { body: { taskIds: [task.id] } })).session;
  assert.equal(one.worktree?.state, 'active');
  writeFileSync(path.join(one.worktree.path, 'a.txt'), 'one\n');
  writeFileSync(path.join(two.worktree.path, 'a.txt'), 'two\n');

  const changes = await expect(200, 'GET', `/api/sessions/${one.id}/changes`);
  assert.deepEqual(changes.files.map((f) => f.path), ['a.txt']);
  await expect(200, 'GET', `/api/projects/${project.id}/overlaps`);
  const diff = await call('GET', `/api/sessions/${one.id}/diff?path=a.txt`);
  assert.equal(diff.status, 200);
  await expect(404, 'GET', `/api/sessions/${one.id}/diff?path=b.txt`);
  await expect(409, 'POST', `/api/sessions/${one.id}/merge`, { body: {} }); // live, no force
  const merged = await expect(200, 'POST', `/api/sessions/${one.id}/merge`, { body: { force: true } });
  assert.equal(merged.session.worktree.state, 'merged');
  await expect(409, 'GET', `/api/sessions/${one.id}/changes`); // its worktree is gone
  const discarded = await expect(200, 'POST', `/api/sessions/${two.id}/discard`, { body: { force: true } });
  assert.equal(discarded.session.worktree.state, 'discarded');
  await expect(409, 'POST', `/api/sessions/${two.id}/discard`, { body: { force: true } });
});

test('every documented operation answered with success at least once', () => {
  assert.deepEqual(unexercised(), []);
});

test('the server takes exactly the documented values of each enumeration', async (t) => {
  const server = await startServer({ prefix: 'maestro-contract-' });
  t.after(server.stop);
  const { expect } = contractClient(server.url);
  const values = (name) => doc.components.schemas[name].enum;
  const project = await expect(201, 'POST', '/api/projects', { body: { name: 'Enums', workingDir: server.home } });
  const task = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'A' } });
  const taskPath = `/api/tasks/${task.id}`;

  for (const status of values('TaskStatus')) {
    const reason = status === 'blocked' ? { blockedReason: 'waiting' } : {};
    assert.equal((await expect(200, 'PATCH', taskPath, { body: { status, ...reason } })).status, status);
  }
  await expect(400, 'PATCH', taskPath, { body: { status: 'done' } });
  for (const priority of values('TaskPriority'))
    assert.equal((await expect(200, 'PATCH', taskPath, { body: { priority } })).priority, priority);
  await expect(400, 'PATCH', taskPath, { body: { priority: 'urgent' } });

  const base = { projectId: project.id, taskIds: [task.id] };
  // lost is the server's to say (a node stopped heartbeating); no client may set it.
  for (const status of values('SessionStatus').filter((s) => s !== 'lost'))
    assert.equal((await expect(201, 'POST', '/api/sessions', { body: { ...base, status } })).status, status);
  await expect(400, 'POST', '/api/sessions', { body: { ...base, status: 'lost' } });
  await expect(400, 'POST', '/api/sessions', { body: { ...base, status: 'sleeping' } });
  for (const role of values('Role'))
    assert.equal((await expect(201, 'POST', '/api/sessions', { body: { ...base, role } })).role, role);
  await expect(400, 'POST', '/api/sessions', { body: { ...base, role: 'boss' } });
  for (const strategy of values('Strategy'))
    assert.equal((await expect(201, 'POST', '/api/sessions', { body: { ...base, strategy } })).strategy, strategy);
  await expect(400, 'POST', '/api/sessions', { body: { ...base, strategy: 'random' } });

  const session = await expect(201, 'POST', '/api/sessions', { body: { ...base, status: 'running' } });
  const report = { updateSource: 'session', sessionId: session.id };
  for (const sessionStatus of values('TaskSessionStatus')) {
    const patched = await expect(200, 'PATCH', taskPath, { body: { sessionStatus, ...report } });
    assert.equal(patched.sessionStatus, sessionStatus);
  }
  await expect(400, 'PATCH', taskPath, { body: { sessionStatus: 'napping', ...report } });
});
