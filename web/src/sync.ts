// Keeps the store in step with the server: the event stream, snapshot loads, and the queue
// that carries every edit to the server in order, exactly once.
import { ApiError, NetworkError, getAll, newId, request } from './api';
import { Connection, type OutputMessage } from './connection';
import {
  applyFields,
  fieldOf,
  sameValue,
  sessionOf,
  store,
  subtasksOf,
  type Conflict,
  type Effect,
  type PendingOp,
  type TaskFields,
} from './store';
import type { Priority, Project, ServerEvent, Session, Task } from './types';

type OutputListener = (message: OutputMessage) => void;
const outputListeners = new Map<string, Set<OutputListener>>();
const MAX_AUTOMATIC_RETRIES = 5;

// ---- the event stream ----

// Events that arrive while a snapshot loads wait for it, then apply on top (by version).
let loads = 0;
let buffered: ServerEvent[] = [];

export const connection = new Connection({
  onReady(resumed) {
    // A resumed stream fills in what was missed; anything never loaded (the page opened while the
    // server was away) is loaded now.
    if (!resumed || !store.projectsLoaded || (store.projectId && !store.tasksLoaded)) void reloadAll();
    void flush();
  },
  onEvent(event) {
    if (loads > 0) buffered.push(event);
    else store.applyEvent(event);
  },
  onOutput(message) {
    for (const listener of outputListeners.get(message.sessionId) ?? []) listener(message);
  },
  onServerError(message) {
    if (message.code === 'session_not_found') return terminalMissing(message.message); // falls back to the stored log
    store.toast(`Server: ${message.message}`, 'error');
  },
});

connection.subscribe((state) => {
  store.link = state;
  store.changed();
});

export function listenToOutput(sessionId: string, listener: OutputListener): () => void {
  let set = outputListeners.get(sessionId);
  if (!set) outputListeners.set(sessionId, (set = new Set()));
  set.add(listener);
  return () => {
    set!.delete(listener);
    if (set!.size === 0) outputListeners.delete(sessionId);
  };
}

async function withBufferedEvents(load: () => Promise<void>): Promise<void> {
  loads++;
  try {
    await load();
  } finally {
    if (--loads === 0) {
      const events = buffered;
      buffered = [];
      for (const event of events) store.applyEvent(event);
    }
  }
}

async function reloadAll(): Promise<void> {
  await withBufferedEvents(async () => {
    try {
      const projects = await getAll<Project>('/api/projects');
      store.projects = new Map(projects.map((p) => [p.id, p]));
      store.projectsLoaded = true;
      store.changed();
      if (store.projectId) await loadProjectData(store.projectId);
    } catch (e) {
      if (!(e instanceof NetworkError)) store.toast(`Could not load: ${(e as Error).message}`, 'error');
    }
  });
}

async function loadProjectData(projectId: string): Promise<void> {
  const [tasks, sessions] = await Promise.all([
    getAll<Task>(`/api/tasks?projectId=${encodeURIComponent(projectId)}`),
    getAll<Session>(`/api/sessions?projectId=${encodeURIComponent(projectId)}`).catch((e) => {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null; // a server without sessions
      throw e;
    }),
  ]);
  if (store.projectId !== projectId) return;
  store.tasks = new Map(tasks.map((t) => [t.id, t]));
  store.tasksLoaded = true;
  store.sessionsSupported = sessions !== null;
  store.sessions = new Map((sessions ?? []).map((s) => [s.id, s]));
  store.changed();
}

export function selectProject(projectId: string | null): void {
  if (store.projectId === projectId) return;
  const cached = projectId ? store.cachedProject(projectId) : null;
  store.projectId = projectId;
  store.tasks = new Map((cached?.tasks ?? []).map((t) => [t.id, t]));
  store.sessions = new Map((cached?.sessions ?? []).map((x) => [x.id, x]));
  store.tasksLoaded = false;
  store.changed();
  if (projectId) {
    try {
      localStorage.setItem('maestro.project', projectId);
    } catch {
      /* ignore */
    }
    if (!projectId.startsWith('tmp_'))
      void withBufferedEvents(() => loadProjectData(projectId)).catch((e) => {
        if (!(e instanceof NetworkError)) store.toast(`Could not load the project: ${e.message}`, 'error');
      });
    else store.tasksLoaded = true;
  }
}

// ---- the queue runner ----

let flushing = false;
let flushAgain = false;
let retryTimer: number | undefined;
let retryDelay = 1000;

function scheduleRetry(): void {
  clearTimeout(retryTimer);
  retryTimer = window.setTimeout(() => void flush(), retryDelay);
  retryDelay = Math.min(retryDelay * 2, 30_000);
}

async function withQueueLock(run: () => Promise<void>): Promise<void> {
  // One tab at a time replays the shared queue.
  if (navigator.locks) await navigator.locks.request('maestro-queue', run);
  else await run();
}

export async function flush(): Promise<void> {
  if (flushing) {
    flushAgain = true;
    return;
  }
  flushing = true;
  clearTimeout(retryTimer);
  try {
    await withQueueLock(async () => {
      for (;;) {
        const op = store.ops[0];
        if (!op) break;
        const outcome = await send(op);
        if (outcome === 'later') {
          scheduleRetry();
          break;
        }
        retryDelay = 1000;
      }
    });
  } finally {
    flushing = false;
    if (flushAgain) {
      flushAgain = false;
      void flush();
    }
  }
}

type Outcome = 'done' | 'later' | 'again';

async function send(op: PendingOp): Promise<Outcome> {
  try {
    const reply = await request<any>(op.method, op.path, {
      body: op.body,
      ifMatch: op.ifMatch ?? undefined,
      idempotencyKey: op.method === 'POST' ? op.id : undefined,
    });
    succeeded(op, reply.data);
    return 'done';
  } catch (e) {
    if (e instanceof NetworkError || (e instanceof ApiError && e.status === 401)) {
      op.attempts++;
      op.lastError = e instanceof ApiError ? e.message : 'server unreachable';
      store.saveQueue();
      return 'later';
    }
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 412) return preconditionFailed(op, e.details?.current ?? null);
    if (e.status === 404 && op.method === 'DELETE') {
      succeeded(op, null); // already gone: the same end state
      return 'done';
    }
    if (e.code === 'invalid_order' && op.effect.type === 'reorder' && op.attempts < MAX_AUTOMATIC_RETRIES)
      return reorderAgain(op, e.details?.expected ?? []);
    store.dropOp(op.id);
    store.toast(`Could not ${op.label}: ${e.message}`, 'error');
    return 'done';
  }
}

// Later ops that address `from` now address `to` (a temporary id the server replaced).
function renameInQueue(from: string, to: string, version: number | null): void {
  const swap = (value: any) => JSON.parse(JSON.stringify(value).split(from).join(to));
  for (const op of store.ops) {
    if (op.path.includes(from)) op.path = op.path.split(from).join(to);
    if (op.body !== undefined) op.body = swap(op.body);
    op.effect = swap(op.effect) as Effect;
    if (op.target === from) {
      op.target = to;
      if (op.ifMatch === null && version !== null) op.ifMatch = version;
    }
    if (op.projectId === from) op.projectId = to;
  }
}

// Later edits of the same resource that were made on top of this one follow its new version.
function advanceVersion(target: string, from: number | null | undefined, to: number): void {
  for (const op of store.ops) if (op.target === target && op.ifMatch === from) op.ifMatch = to;
}

function succeeded(op: PendingOp, data: any): void {
  store.ops = store.ops.filter((o) => o.id !== op.id);
  const effect = op.effect;
  switch (effect.type) {
    case 'createProject': {
      const project = data as Project;
      store.aliases.set(effect.project.id, project.id);
      renameInQueue(effect.project.id, project.id, null);
      store.upsertProject(project);
      if (store.projectId === effect.project.id) {
        store.projectId = null;
        selectProject(project.id);
      }
      break;
    }
    case 'createTask': {
      const task = data as Task;
      store.aliases.set(effect.task.id, task.id);
      renameInQueue(effect.task.id, task.id, task.version);
      store.upsertTask(task);
      break;
    }
    case 'patchTask':
      if (data) {
        advanceVersion(op.target, op.ifMatch, data.version);
        store.upsertTask(data as Task);
      }
      break;
    case 'deleteTask':
      store.removeTask(op.target);
      break;
    case 'reorder':
      for (const subtask of (data ?? []) as Task[]) {
        advanceVersion(subtask.id, subtask.version - 1, subtask.version);
        store.upsertTask(subtask);
      }
      break;
  }
  store.saveQueue();
}

function preconditionFailed(op: PendingOp, current: Task | null): Outcome {
  if (current) store.upsertTask(current);
  if (op.method === 'PATCH' && current) {
    const fields = Object.keys(op.body ?? {}).filter((k) => k !== 'timeline');
    // Our earlier attempt went through but its reply was lost.
    if (fields.every((k) => sameValue(fieldOf(current, k), op.body[k]))) {
      succeeded(op, current);
      return 'done';
    }
    // Someone changed other fields, not the ones we are changing: nothing of theirs is lost.
    if (op.base && fields.every((k) => sameValue(fieldOf(current, k), op.base![k])) && op.attempts < MAX_AUTOMATIC_RETRIES) {
      advanceVersion(op.target, op.ifMatch, current.version);
      op.attempts++;
      store.saveQueue();
      return 'again';
    }
  }
  store.ops = store.ops.filter((o) => o.id !== op.id);
  store.saveQueue();
  const conflict: Conflict = {
    id: op.id,
    op,
    current,
    at: Date.now(),
    message:
      op.method === 'DELETE'
        ? `Someone changed “${current?.title ?? 'this task'}” before your delete reached the server.`
        : `Someone else changed “${current?.title ?? 'this task'}” while your edit was waiting.`,
  };
  store.conflicts = [...store.conflicts.filter((c) => c.id !== op.id), conflict];
  store.saveConflicts();
  return 'done';
}

function reorderAgain(op: PendingOp, expected: string[]): Outcome {
  // Someone added or removed subtasks meanwhile: keep our order for the ones we know, theirs after.
  const known = new Set(expected);
  const order = (op.body.order as string[]).filter((id) => known.has(id));
  for (const id of expected) if (!order.includes(id)) order.push(id);
  const retry: PendingOp = {
    ...op,
    id: newId('op'), // a different body needs a different Idempotency-Key
    body: { order },
    effect: { type: 'reorder', parentId: (op.effect as { parentId: string }).parentId, order },
    attempts: op.attempts + 1,
  };
  store.ops = store.ops.map((o) => (o.id === op.id ? retry : o));
  store.saveQueue();
  return 'again';
}

export function resolveConflict(id: string, keep: 'mine' | 'theirs'): void {
  const conflict = store.conflicts.find((c) => c.id === id);
  if (!conflict) return;
  store.conflicts = store.conflicts.filter((c) => c.id !== id);
  store.saveConflicts();
  if (keep === 'theirs') return;
  const op = conflict.op;
  const latest = store.tasks.get(op.target) ?? conflict.current;
  const base: Record<string, unknown> = {};
  if (latest) for (const k of Object.keys(op.body ?? {})) base[k] = fieldOf(latest, k);
  store.enqueue({
    ...op,
    id: newId('op'),
    ifMatch: latest?.version ?? op.ifMatch,
    base,
    attempts: 0,
    lastError: undefined,
    createdAt: Date.now(),
  });
  void flush();
}

// ---- edits ----

function submit(op: Omit<PendingOp, 'id' | 'createdAt' | 'attempts'>): string {
  const full: PendingOp = { ...op, id: newId('op'), createdAt: Date.now(), attempts: 0 };
  store.enqueue(full);
  void flush();
  return full.id;
}

function taskOrThrow(id: string): Task {
  const task = store.view().tasks.get(store.resolveId(id));
  if (!task) throw new Error(`unknown task ${id}`);
  return task;
}

function versionOf(task: Task): number | null {
  return task.id.startsWith('tmp_') ? null : task.version;
}

function placeholderTask(fields: {
  projectId: string;
  parentId: string | null;
  title: string;
  priority?: Priority;
  description?: string;
}): Task {
  const now = Date.now();
  const siblings = [...store.view().tasks.values()].filter(
    (t) => t.projectId === fields.projectId && t.parentId === fields.parentId,
  );
  return {
    id: newId('tmp'),
    projectId: fields.projectId,
    parentId: fields.parentId,
    title: fields.title,
    description: fields.description ?? '',
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
    order: siblings.reduce((max, t) => Math.max(max, t.order + 1), 0),
    version: 0,
    timeline: [],
    taskId: fields.parentId ?? undefined,
    completed: false,
  };
}

export function createProject(name: string, workingDir: string, description: string): string {
  const now = Date.now();
  const project: Project = { id: newId('tmp'), name, workingDir, description, createdAt: now, updatedAt: now, version: 0 };
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
  for (const k of Object.keys(fields)) {
    body[k] = (fields as any)[k];
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

export function setCompleted(id: string, completed: boolean): void {
  const task = taskOrThrow(id);
  const label = `${completed ? 'check' : 'uncheck'} “${task.title}”`;
  if (task.parentId) updateTask(id, { completed }, label);
  else updateTask(id, { status: completed ? 'completed' : 'todo' }, label);
}

export function blockTask(id: string, reason: string): void {
  updateTask(id, { status: 'blocked', blockedReason: reason }, `block “${taskOrThrow(id).title}”`);
}

export function unblockTask(id: string): void {
  const task = taskOrThrow(id);
  updateTask(id, { status: task.startedAt ? 'in_progress' : 'todo' }, `unblock “${task.title}”`);
}

export function deleteTask(id: string): void {
  const task = taskOrThrow(id);
  submit({
    label: `delete “${task.title}”`,
    method: 'DELETE',
    path: pathOf(task),
    ifMatch: versionOf(task),
    target: task.id,
    projectId: task.projectId,
    effect: { type: 'deleteTask', id: task.id },
  });
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

// ---- sessions (need a live server: a process is not something to start later by surprise) ----

export async function spawnSession(taskId: string, role: string, agent: string, name?: string): Promise<Session | null> {
  try {
    const reply = await request<any>('POST', '/api/sessions/spawn', {
      body: { taskIds: [taskId], role, agent, ...(name ? { name } : {}) },
      idempotencyKey: newId('spawn'),
    });
    const session = sessionOf(reply.data);
    if (session) store.upsertSession(session);
    return session;
  } catch (e) {
    store.toast(`Could not spawn: ${(e as Error).message}`, 'error');
    return null;
  }
}

export async function stopSession(sessionId: string): Promise<void> {
  try {
    const reply = await request<any>('POST', `/api/sessions/${sessionId}/stop`, { body: {} });
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

// The stored output of a session the server no longer streams (it has ended).
export async function fetchOutput(sessionId: string): Promise<string> {
  const reply = await request<any>('GET', `/api/sessions/${sessionId}/output?since=0`);
  const data = reply.data;
  if (typeof data === 'string') return data;
  return typeof data?.data === 'string' ? data.data : typeof data?.output === 'string' ? data.output : '';
}

export function start(): void {
  connection.start();
  void flush();
}

// ---- terminals the server cannot stream (the process has ended) ----

const missingListeners = new Map<string, () => void>();

export function onTerminalMissing(sessionId: string, listener: () => void): () => void {
  missingListeners.set(sessionId, listener);
  return () => missingListeners.delete(sessionId);
}

export function terminalMissing(message: string): void {
  const match = /session (\S+)$/.exec(message);
  if (match) missingListeners.get(match[1])?.();
}
