// What both transports must do the same way: list the tools, call every one of them, read the
// resources, and answer mistakes with the right JSON-RPC errors.
import assert from 'node:assert/strict';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { TOOLS, call } from './harness.mjs';

export async function listsEveryTool(client) {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS].sort());
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, 'object', tool.name);
    assert.equal(tool.outputSchema.type, 'object', tool.name);
    assert.ok(tool.description.length > 10, tool.name);
  }
}

// Every tool once, each result checked (the SDK also checks it against the tool's outputSchema).
export async function callsEveryTool(client, { project, task, session }) {
  const overview = await call(client, 'status_overview');
  assert.equal(overview.projectId, project.id, 'defaults to the calling session\'s project');
  assert.equal(overview.counts.todo, 1);

  const own = await call(client, 'task_get');
  assert.equal(own.id, task.id, 'defaults to the calling session\'s task');

  const created = await call(client, 'task_create', { title: 'Write the lexer', priority: 'high' });
  assert.equal(created.projectId, project.id);
  assert.equal(created.priority, 'high');
  const child = await call(client, 'task_create', { title: 'Tokens', parentId: created.id });
  assert.equal(child.parentId, created.id);

  const listed = await call(client, 'task_list', { rootsOnly: true });
  assert.deepEqual(listed.tasks.map((t) => t.id).sort(), [task.id, created.id].sort());
  assert.equal(listed.total, 2);

  const updated = await call(client, 'task_update', { taskId: created.id, status: 'in_progress', description: 'All tokens' });
  assert.equal(updated.status, 'in_progress');
  assert.equal(updated.description, 'All tokens');

  const blocked = await call(client, 'task_block', { taskId: created.id, reason: 'waiting for the grammar' });
  assert.equal(blocked.status, 'blocked');
  assert.equal(blocked.blockedReason, 'waiting for the grammar');
  const unblocked = await call(client, 'task_unblock', { taskId: created.id });
  assert.equal(unblocked.status, 'in_progress', 'a started task goes back to in_progress');
  assert.equal(unblocked.blockedReason, null);

  const a = await call(client, 'subtask_add', { title: 'Numbers' });
  const b = await call(client, 'subtask_add', { title: 'Strings', priority: 'low' });
  assert.equal(a.taskId, task.id);
  const subtasks = await call(client, 'subtask_list');
  assert.deepEqual(subtasks.subtasks.map((s) => s.id), [a.id, b.id]);
  const reordered = await call(client, 'subtask_reorder', { order: [b.id, a.id] });
  assert.deepEqual(reordered.subtasks.map((s) => s.id), [b.id, a.id]);
  const checked = await call(client, 'subtask_complete', { subtaskId: a.id });
  assert.equal(checked.completed, true);

  const progressed = await call(client, 'report_progress', { message: 'Lexer handles all tokens' });
  const entry = progressed.timeline.at(-1);
  assert.equal(entry.type, 'progress');
  assert.equal(entry.message, 'Lexer handles all tokens');
  assert.equal(entry.sessionId, session.id, 'the report lands on the calling session');
  const waiting = await call(client, 'report_needs_input', { question: 'Which grammar version?' });
  assert.equal(waiting.sessionStatus, 'needs_input');
  assert.equal(waiting.timeline.at(-1).type, 'needs_input');

  const sessions = await call(client, 'session_list', { active: true });
  assert.deepEqual(sessions.sessions.map((s) => s.id), [session.id]);
  const spawned = await call(client, 'session_spawn', { taskIds: [created.id], name: 'lexer worker' });
  assert.equal(spawned.session.parentSessionId, session.id, 'the caller becomes the parent');
  assert.deepEqual(spawned.session.taskIds, [created.id]);

  const completed = await call(client, 'task_complete', { taskId: child.id });
  assert.equal(completed.status, 'completed');
  return { spawned };
}

export async function readsResources(client, { task, session }, spawnedSession) {
  const { resources } = await client.listResources();
  const uris = resources.map((r) => r.uri);
  assert.ok(uris.includes(`maestro://sessions/${session.id}/brief`));
  assert.ok(uris.includes(`maestro://tasks/${task.id}/context`));
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(),
    ['maestro://sessions/{sessionId}/brief', 'maestro://tasks/{taskId}/context']);

  const context = await client.readResource({ uri: `maestro://tasks/${task.id}/context` });
  const parsed = JSON.parse(context.contents[0].text);
  assert.equal(parsed.task.id, task.id);
  assert.equal(parsed.project.id, task.projectId);
  assert.ok(Array.isArray(parsed.subtasks));

  const brief = await client.readResource({ uri: `maestro://sessions/${spawnedSession}/brief` });
  assert.equal(brief.contents[0].mimeType, 'text/markdown');
  assert.equal(typeof brief.contents[0].text, 'string');

  await assert.rejects(client.readResource({ uri: 'maestro://tasks/task_missing/context' }),
    (e) => e instanceof McpError && e.code === -32002);
}

export async function answersMistakesWithJsonRpcErrors(client) {
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }),
    (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /Unknown tool/.test(e.message));
  await assert.rejects(client.callTool({ name: 'task_create', arguments: { title: 42 } }),
    (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /title/.test(e.message));
  await assert.rejects(client.callTool({ name: 'task_update', arguments: { status: 'done' } }),
    (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /status/.test(e.message));
  await assert.rejects(client.callTool({ name: 'task_block', arguments: {} }),
    (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /reason/.test(e.message));
  await assert.rejects(client.request({ method: 'prompts/list', params: {} }, (await import('@modelcontextprotocol/sdk/types.js')).ListPromptsResultSchema),
    (e) => e instanceof McpError && e.code === ErrorCode.MethodNotFound);

  // A tool that runs and fails (a task that does not exist) is a tool error, not a protocol one.
  const failed = await client.callTool({ name: 'task_get', arguments: { taskId: 'task_missing' } });
  assert.equal(failed.isError, true);
  assert.equal(JSON.parse(failed.content[0].text).code, 'task_not_found');
}
