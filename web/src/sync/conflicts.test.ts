import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Task } from '../types';
import { conflictOf, judgePrecondition, resendMine } from './conflicts';
import { MAX_AUTOMATIC_RETRIES, type PendingOp } from './queue-rules';

const server = (fields: Partial<Task>): Task =>
  ({ id: 'task_1', title: 'Server title', status: 'todo', priority: 'medium', version: 7, ...fields }) as Task;

function rename(to: string, sawTitle: string, extra: Partial<PendingOp> = {}): PendingOp {
  return {
    id: 'op_1',
    label: 'rename',
    method: 'PATCH',
    path: '/api/tasks/task_1',
    body: { title: to },
    base: { title: sawTitle },
    ifMatch: 5,
    target: 'task_1',
    projectId: 'proj_1',
    effect: { type: 'patchTask', id: 'task_1', fields: { title: to } },
    createdAt: 0,
    attempts: 0,
    ...extra,
  };
}

describe('judgePrecondition', () => {
  test('the server already holding our values means an earlier attempt went through', () => {
    assert.equal(judgePrecondition(rename('Mine', 'Old'), server({ title: 'Mine' })), 'applied');
  });
  test('someone changing only other fields lets the edit go again on the new version', () => {
    assert.equal(judgePrecondition(rename('Mine', 'Old'), server({ title: 'Old', priority: 'high' })), 'retry');
  });
  test('someone changing the same field is a conflict', () => {
    assert.equal(judgePrecondition(rename('Mine', 'Old'), server({ title: 'Theirs' })), 'conflict');
  });
  test('completed is read from the status', () => {
    const check: PendingOp = { ...rename('x', 'x'), body: { completed: true }, base: { completed: false } };
    assert.equal(judgePrecondition(check, server({ status: 'completed' })), 'applied');
    assert.equal(judgePrecondition(check, server({ status: 'in_progress' })), 'retry');
  });
  test('retries stop after the limit, and an edit without a base never retries by itself', () => {
    assert.equal(judgePrecondition(rename('Mine', 'Old', { attempts: MAX_AUTOMATIC_RETRIES }), server({ title: 'Old' })), 'conflict');
    assert.equal(judgePrecondition(rename('Mine', 'Old', { base: undefined }), server({ title: 'Old' })), 'conflict');
  });
  test('a delete, or an edit of something gone, is always for the person to decide', () => {
    assert.equal(judgePrecondition({ ...rename('x', 'x'), method: 'DELETE', body: undefined }, server({})), 'conflict');
    assert.equal(judgePrecondition(rename('Mine', 'Old'), null), 'conflict');
  });
});

describe('conflictOf', () => {
  test('names the task and what was not applied', () => {
    const c = conflictOf(rename('Mine', 'Old'), server({ title: 'Theirs' }), 42);
    assert.equal(c.id, 'op_1');
    assert.equal(c.at, 42);
    assert.match(c.message, /changed “Theirs” while your edit was waiting/);
    assert.match(conflictOf({ ...rename('x', 'x'), method: 'DELETE' }, null, 0).message, /before your delete/);
  });
});

describe('resendMine', () => {
  test('makes the edit again on the latest version, with that version as its base', () => {
    const conflict = conflictOf(rename('Mine', 'Old', { attempts: 3, lastError: 'x' }), server({ title: 'Theirs' }), 0);
    const again = resendMine(conflict, server({ title: 'Theirs', version: 9 }), 'op_2', 100);
    assert.equal(again.id, 'op_2');
    assert.equal(again.ifMatch, 9);
    assert.deepEqual(again.base, { title: 'Theirs' });
    assert.deepEqual(again.body, { title: 'Mine' });
    assert.equal(again.attempts, 0);
    assert.equal(again.lastError, undefined);
  });
});
