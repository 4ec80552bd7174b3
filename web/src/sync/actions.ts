// Everything the person can do. Edits of projects and tasks go through the queue (they work
// offline); sessions need a live server — a process is not something to start later by surprise.
import { newId, request } from '../api';
import { reopenStatus, reorderColumn } from '../board-rules';
import { sessionOf, store } from '../store';
import { applyFields, fieldOf, sameValue, subtasksOf, type TaskFields } from '../task-fields';
import type { Priority, Project, Session, Task } from '../types';
import { resendMine } from './conflicts';
import { connection } from './events';
import { flush, submit } from './queue';

function taskOrThrow(id: string): Task {
  const task = store.view().tasks.get(store.resolveId(id));
  if (!task) throw new Error(`unknown task ${id}`);
  return task;
}

function versionOf(task: Task): number | null {
  return task.id.startsWith('tmp_') ? null : task.version;
}

function placeholderTask(fields: { projectId: string; parentId: string | null; title: string; priority?: Priority }): Task {
  const now = Date.now();
  const siblings = [...store.view().tasks.values()].filter(
    (t) => t.projectId === fields.projectId && t.parentId === fields.parentId,
  );
  return {
    id: newId('tmp'),
    projectId: fields.projectId,
    parentId: fields.parentId,
    title: fields.title,
    description: '',
    status: 'todo',
    priority: fields.priority ?? 'medium',
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    completedAt: null,
    initialPrompt: '',
    sessionIds: [],
    skillIds: [],
    agentIds: [],
    dependencies: [],
    blockedReason: null,
    sessionStatus: null,
    order: siblings.reduce((max, t) => Math.max(max, t.order + 1), 0),
    version: 0,
    timeline: [],
    timelineCount: 0,
    taskId: fields.parentId ?? undefined,
    completed: false,
  };
}

export function createProject(name: string, workingDir: string, description: string): string {
  const now = Date.now();
  const project: Project = {
    id: newId('tmp'),
    name,
    workingDir,
    description,
    isolation: null,
    baseBranch: null,
    nodeId: null,
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  submit({
    label: `create project “${name}”`,
    method: 'POST',
    path: '/api/projects',
    body: { name, workingDir, description },
    target: project.id,
    projectId: project.id,
    effect: { type: 'createProject', project },
  });
  return project.id;
}

export function createTask(projectId: string, title: string, priority: Priority = 'medium'): string {
  const task = placeholderTask({ projectId, parentId: null, title, priority });
  submit({
    label: `create “${title}”`,
    method: 'POST',
    path: '/api/tasks',
    body: { projectId, title, priority },
    target: task.id,
    projectId,
    effect: { type: 'createTask', task },
  });
  return task.id;
}

export function addSubtask(parentId: string, title: string): string {
  const parent = taskOrThrow(parentId);
  const task = placeholderTask({ projectId: parent.projectId, parentId: parent.id, title });
  submit({
    label: `add subtask “${title}”`,
    method: 'POST',
    path: `/api/tasks/${parent.id}/subtasks`,
    body: { title },
    target: task.id,
    projectId: parent.projectId,
    effect: { type: 'createTask', task },
  });
  return task.id;
}

function pathOf(task: Task): string {
  return task.parentId ? `/api/tasks/${task.parentId}/subtasks/${task.id}` : `/api/tasks/${task.id}`;
}

export function updateTask(id: string, fields: TaskFields, label?: string): void {
  const task = taskOrThrow(id);
  const next = applyFields(task, fields);
  const changed = Object.keys(fields).filter((k) => !sameValue(fieldOf(task, k), fieldOf(next, k)));
  if (changed.length === 0) return;
  const body: Record<string, unknown> = {};
  const base: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    body[k] = v;
    base[k] = fieldOf(task, k);
  }
  submit({
    label: label ?? `update “${task.title}”`,
    method: 'PATCH',
    path: pathOf(task),
    body,
    ifMatch: versionOf(task),
    base,
    target: task.id,
    projectId: task.projectId,
    effect: { type: 'patchTask', id: task.id, fields },
  });
}

// Completes a task, or reopens it to the status it had before.
export function setCompleted(id: string, completed: boolean): void {
  const task = taskOrThrow(id);
  const label = `${completed ? 'complete' : 'reopen'} “${task.title}”`;
  if (task.parentId) updateTask(id, { completed }, label);
  else updateTask(id, { status: completed ? 'completed' : reopenStatus(task) }, label);
}

// Moves a task within its column: the `order` changes that put it at `toIndex` of `column`
// (the column's tasks in manual order), one queued edit per task whose order changes.
export function moveInColumn(column: Task[], id: string, toIndex: number): void {
  const moved = column.find((t) => t.id === id);
  for (const change of reorderColumn(column, id, toIndex))
    updateTask(change.id, { order: change.order }, change.id === id ? `move “${moved?.title}”` : 'reorder the column');
}

export function blockTask(id: string, reason: string): void {
  updateTask(id, { status: 'blocked', blockedReason: reason }, `block “${taskOrThrow(id).title}”`);
}

export function unblockTask(id: string): void {
  const task = taskOrThrow(id);
  updateTask(id, { status: task.startedAt ? 'in_progress' : 'todo' }, `unblock “${task.title}”`);
}

// How long a delete can be undone; it reaches the server only after that.
export const UNDO_MS = 5000;

export function deleteTask(id: string): void {
  const task = taskOrThrow(id);
  const opId = submit({
    label: `delete “${task.title}”`,
    method: 'DELETE',
    path: pathOf(task),
    ifMatch: versionOf(task),
    target: task.id,
    projectId: task.projectId,
    effect: { type: 'deleteTask', id: task.id },
    holdUntil: Date.now() + UNDO_MS,
  });
  store.toast(`Deleted “${task.title}”`, 'info', { label: 'Undo', run: () => undoDelete(opId, task.title) }, UNDO_MS);
}

function undoDelete(opId: string, title: string): void {
  const op = store.ops.find((o) => o.id === opId);
  if (!op || (op.holdUntil ?? 0) <= Date.now()) return store.toast(`Too late: “${title}” is already deleted.`, 'error');
  store.dropOp(opId);
  store.toast(`Restored “${title}”`);
}

export function moveSubtask(id: string, delta: number): void {
  const task = taskOrThrow(id);
  if (!task.parentId) return;
  const siblings = subtasksOf(store.view().tasks, task.parentId).map((t) => t.id);
  const from = siblings.indexOf(task.id);
  const to = Math.max(0, Math.min(siblings.length - 1, from + delta));
  if (from === to) return;
  siblings.splice(to, 0, ...siblings.splice(from, 1));
  reorderSubtasks(task.parentId, siblings, `move “${task.title}”`);
}

export function reorderSubtasks(parentId: string, order: string[], label = 'reorder subtasks'): void {
  const parent = taskOrThrow(parentId);
  submit({
    label,
    method: 'POST',
    path: `/api/tasks/${parent.id}/subtasks/reorder`,
    body: { order },
    target: parent.id,
    projectId: parent.projectId,
    effect: { type: 'reorder', parentId: parent.id, order },
  });
}

export function discardOp(id: string): void {
  store.dropOp(id);
}

export function resolveConflict(id: string, keep: 'mine' | 'theirs'): void {
  const conflict = store.conflicts.find((c) => c.id === id);
  if (!conflict) return;
  store.conflicts = store.conflicts.filter((c) => c.id !== id);
  store.saveConflicts();
  if (keep === 'theirs') return;
  const latest = store.tasks.get(conflict.op.target) ?? conflict.current;
  store.enqueue(resendMine(conflict, latest, newId('op'), Date.now()));
  void flush();
}

// ---- sessions ----

const AGENT_KEY = 'maestro.agent';

// The agent profile of the last spawn that started; one that failed is never offered first again.
export function rememberedAgent(): string | null {
  try {
    return localStorage.getItem(AGENT_KEY);
  } catch {
    return null;
  }
}

function rememberAgent(agent: string, started: boolean): void {
  try {
    if (started) localStorage.setItem(AGENT_KEY, agent);
    else if (localStorage.getItem(AGENT_KEY) === agent) localStorage.removeItem(AGENT_KEY);
  } catch {
    /* storage disabled: nothing is remembered */
  }
}

export async function spawnSession(taskId: string, role: string, agent: string, name?: string): Promise<Session | null> {
  try {
    const reply = await request<unknown>('POST', '/api/sessions/spawn', {
      body: { taskIds: [taskId], role, agent, ...(name ? { name } : {}) },
      idempotencyKey: newId('spawn'),
    });
    const session = sessionOf(reply.data);
    if (session) store.upsertSession(session);
    rememberAgent(agent, session?.status !== 'failed');
    return session;
  } catch (e) {
    rememberAgent(agent, false);
    store.toast(`Could not spawn: ${(e as Error).message}`, 'error');
    return null;
  }
}

export async function stopSession(sessionId: string): Promise<void> {
  try {
    const reply = await request<unknown>('POST', `/api/sessions/${sessionId}/stop`, { body: {} });
    const session = sessionOf(reply.data);
    if (session) store.upsertSession(session);
  } catch (e) {
    store.toast(`Could not stop the session: ${(e as Error).message}`, 'error');
  }
}

export function sendInput(sessionId: string, data: string): void {
  if (!connection.send({ type: 'session:input', sessionId, data }))
    void request('POST', `/api/sessions/${sessionId}/input`, { body: { data } }).catch(() => {});
}

export function sendResize(sessionId: string, cols: number, rows: number): void {
  if (!connection.send({ type: 'session:resize', sessionId, cols, rows }))
    void request('POST', `/api/sessions/${sessionId}/resize`, { body: { cols, rows } }).catch(() => {});
}
