import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attentionCount, reorderColumn, reopenStatus, taskAgentState } from './board-rules';
import type { Session, Task } from './types';

const task = (id: string, fields: Partial<Task> = {}): Task =>
  ({ id, order: 0, createdAt: 0, status: 'todo', priority: 'medium', timeline: [], startedAt: null, ...fields }) as Task;
const session = (status: Session['status'], startedAt = 0, extra: Record<string, unknown> = {}) =>
  ({ id: `s${startedAt}`, status, startedAt, taskIds: ['t'], ...extra }) as Session & { activity?: string };

describe('reorderColumn', () => {
  const column = [task('a', { order: 2 }), task('b', { order: 5 }), task('c', { order: 7 })];
  test('moves a card up, reusing the column’s order values', () => {
    assert.deepEqual(reorderColumn(column, 'c', 0), [
      { id: 'c', order: 2 },
      { id: 'a', order: 5 },
      { id: 'b', order: 7 },
    ]);
  });
  test('moves a card down one place, changing only the two that swap', () => {
    assert.deepEqual(reorderColumn(column, 'a', 1), [
      { id: 'b', order: 2 },
      { id: 'a', order: 5 },
    ]);
  });
  test('a move to where it already is changes nothing', () => {
    assert.deepEqual(reorderColumn(column, 'b', 1), []);
  });
  test('equal order values become strictly increasing', () => {
    const tied = [task('x', { order: 3 }), task('y', { order: 3 })];
    assert.deepEqual(reorderColumn(tied, 'y', 0), [{ id: 'x', order: 4 }]);
  });
});

describe('reopenStatus', () => {
  const changed = (from: string, to: string) => ({ id: 'e', type: 'status_changed', timestamp: 0, message: `Status changed from ${from} to ${to}` });
  test('returns to the status the task left', () => {
    assert.equal(reopenStatus(task('t', { status: 'completed', timeline: [changed('todo', 'in_progress'), changed('in_progress', 'completed')] })), 'in_progress');
    assert.equal(reopenStatus(task('t', { status: 'cancelled', timeline: [changed('todo', 'cancelled')] })), 'todo');
  });
  test('a task completed from blocked goes back to work, not to blocked', () => {
    assert.equal(reopenStatus(task('t', { status: 'completed', startedAt: 5, timeline: [changed('blocked', 'completed')] })), 'in_progress');
  });
  test('without a record: in progress if it was started, else to do', () => {
    assert.equal(reopenStatus(task('t', { status: 'completed', startedAt: 5 })), 'in_progress');
    assert.equal(reopenStatus(task('t', { status: 'completed' })), 'todo');
  });
});

describe('taskAgentState', () => {
  test('the most urgent live state wins', () => {
    assert.equal(taskAgentState([session('idle', 1), session('running', 2)]), 'working');
    assert.equal(taskAgentState([session('running', 1), session('running', 2, { activity: 'needs_input' })]), 'needs_input');
  });
  test('failed only when the latest session failed and none is live', () => {
    assert.equal(taskAgentState([session('completed', 1), session('failed', 2)]), 'failed');
    assert.equal(taskAgentState([session('failed', 1), session('completed', 2)]), null);
    assert.equal(taskAgentState([session('failed', 1), session('spawning', 2)]), 'starting');
  });
  test('a session whose node was lost is shown as lost, above the others but needs input', () => {
    assert.equal(taskAgentState([session('running', 1), session('lost', 2)]), 'lost');
    assert.equal(taskAgentState([session('lost', 1), session('running', 2, { activity: 'needs_input' })]), 'needs_input');
    assert.equal(taskAgentState([session('lost', 1, { activity: 'working' })]), 'lost');
  });
  test('an activity of an ended session is ignored', () => {
    assert.equal(taskAgentState([session('stopped', 1, { activity: 'working' })]), null);
  });
  test('no sessions: nothing', () => {
    assert.equal(taskAgentState([]), null);
  });
});

describe('attentionCount', () => {
  test('counts blocked open tasks, failed or waiting agents and conflicts', () => {
    const tasks = [task('blocked', { status: 'blocked' }), task('failed'), task('fine'), task('done', { status: 'completed' })];
    const sessions: Record<string, ReturnType<typeof session>[]> = { failed: [session('failed', 1)], done: [session('failed', 1)] };
    assert.equal(attentionCount(tasks, (id) => sessions[id] ?? [], 2), 4);
    assert.equal(attentionCount([task('away')], () => [session('lost', 1)], 0), 1, 'a lost agent wants attention');
  });
});
