// The queue runner: sends the persisted edits to the server in order, one at a time, exactly
// once (creates carry their Idempotency-Key), and applies what each outcome means.
import { ApiError, NetworkError, newId, request } from '../api';
import { store } from '../store';
import type { Project, Task } from '../types';
import { conflictOf, judgePrecondition } from './conflicts';
import { selectProject, withBufferedEvents } from './loads';
import { advanceVersion, classifyFailure, mergeOrder, renameInQueue, type PendingOp } from './queue-rules';

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30_000;

let flushing = false;
let flushAgain = false;
let retryTimer: number | undefined;
let retryDelay = FIRST_RETRY_MS;

function scheduleRetry(): void {
  clearTimeout(retryTimer);
  retryTimer = window.setTimeout(() => void flush(), retryDelay);
  retryDelay = Math.min(retryDelay * 2, LAST_RETRY_MS);
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
        if (op.holdUntil && op.holdUntil > Date.now()) {
          clearTimeout(retryTimer);
          retryTimer = window.setTimeout(() => void flush(), op.holdUntil - Date.now());
          break;
        }
        if ((await send(op)) === 'later') {
          scheduleRetry();
          break;
        }
        retryDelay = FIRST_RETRY_MS;
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

// Adds an edit to the queue and starts sending.
export function submit(op: Omit<PendingOp, 'id' | 'createdAt' | 'attempts'>): string {
  const full: PendingOp = { ...op, id: newId('op'), createdAt: Date.now(), attempts: 0 };
  store.enqueue(full);
  void flush();
  return full.id;
}

async function send(op: PendingOp): Promise<'done' | 'later'> {
  const deliver = async () => {
    const reply = await request<unknown>(op.method, op.path, {
      body: op.body,
      ifMatch: op.ifMatch ?? undefined,
      idempotencyKey: op.method === 'POST' ? op.id : undefined,
    });
    succeeded(op, reply.data);
  };
  try {
    // The created entity's event can arrive before the response; applied while the temporary
    // entity was still shown, it would show twice. Events wait until the real one replaced it.
    const creates = op.effect.type === 'createTask' || op.effect.type === 'createProject';
    await (creates ? withBufferedEvents(deliver) : deliver());
    return 'done';
  } catch (e) {
    if (!(e instanceof NetworkError) && !(e instanceof ApiError)) throw e;
    const failure = e instanceof ApiError ? { network: false as const, status: e.status, code: e.code } : { network: true as const };
    switch (classifyFailure(op, failure)) {
      case 'later':
        replaceOp(op.id, { ...op, attempts: op.attempts + 1, lastError: e instanceof ApiError ? e.message : 'server unreachable' });
        return 'later';
      case 'precondition':
        preconditionFailed(op, ((e as ApiError).details?.current as Task | undefined) ?? null);
        return 'done';
      case 'done':
        succeeded(op, null);
        return 'done';
      case 'reorder-again': {
        const order = mergeOrder((op.body?.order ?? []) as string[], ((e as ApiError).details?.expected as string[] | undefined) ?? []);
        const parentId = op.effect.type === 'reorder' ? op.effect.parentId : op.target;
        // A different body needs a different Idempotency-Key.
        replaceOp(op.id, { ...op, id: newId('op'), body: { order }, effect: { type: 'reorder', parentId, order }, attempts: op.attempts + 1 });
        return 'done';
      }
      case 'refused':
        store.dropOp(op.id);
        store.toast(`Could not ${op.label}: ${e.message}`, 'error');
        return 'done';
    }
  }
}

function replaceOp(id: string, next: PendingOp): void {
  store.ops = store.ops.map((o) => (o.id === id ? next : o));
  store.saveQueue();
}

function succeeded(op: PendingOp, data: unknown): void {
  store.ops = store.ops.filter((o) => o.id !== op.id);
  const effect = op.effect;
  switch (effect.type) {
    case 'createProject': {
      const project = data as Project;
      store.aliases.set(effect.project.id, project.id);
      store.ops = renameInQueue(store.ops, effect.project.id, project.id, null);
      store.upsertProject(project);
      if (store.projectId === effect.project.id) selectProject(project.id);
      break;
    }
    case 'createTask': {
      const task = data as Task;
      store.aliases.set(effect.task.id, task.id);
      store.ops = renameInQueue(store.ops, effect.task.id, task.id, task.version);
      store.upsertTask(task);
      break;
    }
    case 'patchTask':
      if (data) {
        const task = data as Task;
        store.ops = advanceVersion(store.ops, op.target, op.ifMatch, task.version);
        store.upsertTask(task);
      }
      break;
    case 'deleteTask':
      store.removeTask(op.target);
      break;
    case 'reorder':
      for (const subtask of (data ?? []) as Task[]) {
        store.ops = advanceVersion(store.ops, subtask.id, subtask.version - 1, subtask.version);
        store.upsertTask(subtask);
      }
      break;
  }
  store.saveQueue();
}

function preconditionFailed(op: PendingOp, current: Task | null): void {
  if (current) store.upsertTask(current);
  switch (judgePrecondition(op, current)) {
    case 'applied':
      succeeded(op, current);
      return;
    case 'retry':
      store.ops = advanceVersion(store.ops, op.target, op.ifMatch, current!.version).map((o) =>
        o.id === op.id ? { ...o, attempts: o.attempts + 1 } : o,
      );
      store.saveQueue();
      return;
    case 'conflict':
      store.ops = store.ops.filter((o) => o.id !== op.id);
      store.saveQueue();
      store.conflicts = [...store.conflicts.filter((c) => c.id !== op.id), conflictOf(op, current, Date.now())];
      store.saveConflicts();
  }
}
