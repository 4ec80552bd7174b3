import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Project, Task } from '../types';
import {
  MAX_AUTOMATIC_RETRIES,
  advanceVersion,
  classifyFailure,
  layPending,
  mergeOrder,
  renameInQueue,
  type PendingOp,
} from './queue-rules';

function task(id: string, fields: Partial<Task> = {}): Task {
  return {
    id,
    projectId: 'proj_1',
    parentId: null,
    title: id,
    description: '',
    status: 'todo',
    priority: 'medium',
    createdAt: 1,
    updatedAt: 1,
    startedAt: null,
    completedAt: null,
    initialPrompt: '',
    sessionIds: [],
    skillIds: [],
    agentIds: [],
    dependencies: [],
    blockedReason: null,
    sessionStatus: null,
    order: 0,
    version: 1,
    timeline: [],
    timelineCount: 0,
    ...fields,
  };
}

function op(fields: Partial<PendingOp> & Pick<PendingOp, 'effect'>): PendingOp {
  return {
    id: 'op_1',
    label: 'edit',
    method: 'PATCH',
    path: '/api/tasks/task_1',
    target: 'task_1',
    projectId: 'proj_1',
    createdAt: 0,
    attempts: 0,
    ...fields,
  };
}

describe('renameInQueue', () => {
  test('rewrites paths, bodies, effects, targets and projects of later ops to the server id', () => {
    const ops = [
      op({
        path: '/api/tasks/tmp_a/subtasks',
        body: { title: 'x', parent: 'tmp_a' },
        target: 'tmp_b',
        projectId: 'tmp_p',
        ifMatch: null,
        effect: { type: 'createTask', task: task('tmp_b', { parentId: 'tmp_a' }) },
      }),
      op({ path: '/api/tasks/tmp_a', target: 'tmp_a', ifMatch: null, effect: { type: 'patchTask', id: 'tmp_a', fields: { title: 'y' } } }),
    ];
    const renamed = renameInQueue(ops, 'tmp_a', 'task_9', 3);
    assert.equal(renamed[0].path, '/api/tasks/task_9/subtasks');
    assert.deepEqual(renamed[0].body, { title: 'x', parent: 'task_9' });
    assert.equal(renamed[0].effect.type === 'createTask' && renamed[0].effect.task.parentId, 'task_9');
    assert.equal(renamed[0].ifMatch, null, 'an op on another resource keeps waiting for its own create');
    assert.equal(renamed[1].target, 'task_9');
    assert.equal(renamed[1].ifMatch, 3, 'an op that waited for the create takes the new version');
    assert.equal(ops[1].target, 'tmp_a', 'the input is left as it was');
  });

  test('moves ops of a project created offline to its server id', () => {
    const renamed = renameInQueue([op({ projectId: 'tmp_p', effect: { type: 'deleteTask', id: 'task_1' } })], 'tmp_p', 'proj_7', null);
    assert.equal(renamed[0].projectId, 'proj_7');
  });
});

describe('advanceVersion', () => {
  test('follows only the edits of that target made on the old version', () => {
    const ops = [
      op({ id: 'a', target: 't', ifMatch: 4, effect: { type: 'deleteTask', id: 't' } }),
      op({ id: 'b', target: 't', ifMatch: 2, effect: { type: 'deleteTask', id: 't' } }),
      op({ id: 'c', target: 'u', ifMatch: 4, effect: { type: 'deleteTask', id: 'u' } }),
    ];
    assert.deepEqual(
      advanceVersion(ops, 't', 4, 5).map((o) => o.ifMatch),
      [5, 2, 4],
    );
  });
});

describe('mergeOrder', () => {
  test('keeps our order for known ids, drops removed ones and appends new ones in the server order', () => {
    assert.deepEqual(mergeOrder(['c', 'a', 'gone', 'b'], ['a', 'b', 'c', 'new1', 'new2']), ['c', 'a', 'b', 'new1', 'new2']);
  });
});

describe('classifyFailure', () => {
  const patch = op({ effect: { type: 'patchTask', id: 'task_1', fields: { title: 't' } } });
  const remove = op({ method: 'DELETE', effect: { type: 'deleteTask', id: 'task_1' } });
  const reorder = op({ method: 'POST', effect: { type: 'reorder', parentId: 'task_1', order: [] } });

  test('an unreachable server or a missing token means later', () => {
    assert.equal(classifyFailure(patch, { network: true }), 'later');
    assert.equal(classifyFailure(patch, { network: false, status: 401, code: 'unauthorized' }), 'later');
  });
  test('412 goes to the conflict rules', () => {
    assert.equal(classifyFailure(patch, { network: false, status: 412, code: 'version_conflict' }), 'precondition');
  });
  test('a delete of something already gone is done, an edit of it is refused', () => {
    assert.equal(classifyFailure(remove, { network: false, status: 404, code: 'task_not_found' }), 'done');
    assert.equal(classifyFailure(patch, { network: false, status: 404, code: 'task_not_found' }), 'refused');
  });
  test('a reorder that met new siblings is merged, until it has tried too often', () => {
    assert.equal(classifyFailure(reorder, { network: false, status: 400, code: 'invalid_order' }), 'reorder-again');
    assert.equal(
      classifyFailure({ ...reorder, attempts: MAX_AUTOMATIC_RETRIES }, { network: false, status: 400, code: 'invalid_order' }),
      'refused',
    );
  });
});

describe('layPending', () => {
  const project: Project = {
    id: 'proj_1',
    name: 'P',
    workingDir: '',
    description: '',
    isolation: null,
    baseBranch: null,
    nodeId: null,
    createdAt: 0,
    updatedAt: 0,
    version: 1,
  };
  const server = new Map([
    ['t1', task('t1', { order: 0 })],
    ['s1', task('s1', { parentId: 't1', order: 0 })],
    ['s2', task('s2', { parentId: 't1', order: 1 })],
    ['other', task('other', { order: 1 })],
  ]);

  test('lays creates, patches, reorders and deletes over the server state, marking what is pending', () => {
    const created = task('tmp_x', { title: 'new' });
    const ops = [
      op({ method: 'POST', effect: { type: 'createTask', task: created } }),
      op({ effect: { type: 'patchTask', id: 'other', fields: { status: 'blocked', blockedReason: 'why' } } }),
      op({ method: 'POST', effect: { type: 'reorder', parentId: 't1', order: ['s2', 's1'] } }),
    ];
    const view = layPending(server, new Map([[project.id, project]]), ops, 'proj_1');
    assert.equal(view.tasks.get('tmp_x')?.pending, true);
    assert.equal(view.tasks.get('other')?.status, 'blocked');
    assert.equal(view.tasks.get('other')?.blockedReason, 'why');
    assert.deepEqual([view.tasks.get('s2')?.order, view.tasks.get('s1')?.order], [0, 1]);
    assert.equal(view.tasks.get('t1')?.pending, undefined, 'untouched tasks are not marked');
    assert.equal(server.get('other')?.status, 'todo', 'the server state is not changed');
  });

  test('a pending delete hides the task and its subtasks', () => {
    const view = layPending(server, new Map(), [op({ method: 'DELETE', effect: { type: 'deleteTask', id: 't1' } })], 'proj_1');
    assert.deepEqual([...view.tasks.keys()], ['other']);
  });

  test('tasks created in another project and projects already known are not added', () => {
    const elsewhere = task('tmp_y', { projectId: 'proj_2' });
    const view = layPending(
      server,
      new Map([[project.id, project]]),
      [
        op({ method: 'POST', effect: { type: 'createTask', task: elsewhere } }),
        op({ method: 'POST', effect: { type: 'createProject', project: { ...project, name: 'stale copy' } } }),
      ],
      'proj_1',
    );
    assert.equal(view.tasks.has('tmp_y'), false);
    assert.equal(view.projects.get('proj_1')?.name, 'P');
  });
});
