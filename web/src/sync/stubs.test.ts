import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../api';
import type { ServerEvent } from '../types';
import { isStub, resolveStub } from './stubs';

const stub = (type: string, id = 'task_1'): ServerEvent =>
  ({ type, event: type, seq: 42, id, truncated: true, timestamp: 7 }) as unknown as ServerEvent;

// A server that knows one task, one project and one session, and records what was asked.
function server() {
  const asked: string[] = [];
  const known: Record<string, unknown> = {
    '/api/tasks/task_1': { id: 'task_1', title: 'Whole', version: 9 },
    '/api/projects/proj_1': { id: 'proj_1', name: 'P' },
    '/api/sessions/sess_1': { id: 'sess_1', status: 'running' },
  };
  const fetch = async (path: string) => {
    asked.push(path);
    if (path in known) return known[path];
    throw new ApiError(404, 'not_found', 'gone', {});
  };
  return { asked, fetch };
}

describe('resolveStub', () => {
  test('tells a stub from a whole event', () => {
    assert.equal(isStub(stub('task:updated')), true);
    assert.equal(isStub({ type: 'task:updated', event: 'task:updated', seq: 1, data: {}, timestamp: 0 }), false);
  });

  test('a task stub becomes task:updated with the task as it is now, keeping its seq', async () => {
    const { asked, fetch } = server();
    const whole = await resolveStub(stub('task:updated'), fetch, 'proj_1');
    assert.deepEqual(asked, ['/api/tasks/task_1']);
    assert.deepEqual(whole, { type: 'task:updated', event: 'task:updated', seq: 42, data: { id: 'task_1', title: 'Whole', version: 9 }, timestamp: 7 });
  });

  test('a subtask stub reads the subtask as the task it is', async () => {
    const { asked, fetch } = server();
    const whole = await resolveStub(stub('subtask:created'), fetch, 'proj_1');
    assert.deepEqual(asked, ['/api/tasks/task_1']);
    assert.equal(whole?.type, 'task:updated');
  });

  test('projects and sessions are read from their own routes', async () => {
    const { asked, fetch } = server();
    assert.equal((await resolveStub(stub('project:updated', 'proj_1'), fetch, null))?.type, 'project:updated');
    assert.equal((await resolveStub(stub('session:exited', 'sess_1'), fetch, null))?.type, 'session:updated');
    assert.deepEqual(asked, ['/api/projects/proj_1', '/api/sessions/sess_1']);
  });

  test('what no longer exists is applied as its deletion', async () => {
    const { fetch } = server();
    const whole = await resolveStub(stub('task:updated', 'task_gone'), fetch, 'proj_1');
    assert.deepEqual(whole?.data, { id: 'task_gone', projectId: 'proj_1' });
    assert.equal(whole?.type, 'task:deleted');
  });

  test('skill events and stubs without an id need no fetch', async () => {
    const { asked, fetch } = server();
    assert.equal(await resolveStub(stub('skill:loaded', 'skill_1'), fetch, null), null);
    assert.equal(await resolveStub(stub('task:updated', ''), fetch, null), null);
    assert.deepEqual(asked, []);
  });

  test('other failures are not taken for a deletion', async () => {
    const failing = async () => {
      throw new ApiError(503, 'storage_unavailable', 'later', {});
    };
    await assert.rejects(resolveStub(stub('task:updated'), failing, 'proj_1'), /later/);
  });
});
