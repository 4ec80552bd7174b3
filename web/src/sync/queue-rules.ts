// The rules of the edit queue, free of I/O: what an edit looks like, how later edits follow
// the ids and versions the server hands out, how a refused reorder is merged, what a failed
// attempt means, and the view that lays pending edits over the server's state.
import { applyFields, type TaskFields } from '../task-fields';
import type { Project, Task } from '../types';

export type Effect =
  | { type: 'createProject'; project: Project }
  | { type: 'createTask'; task: Task }
  | { type: 'patchTask'; id: string; fields: TaskFields }
  | { type: 'deleteTask'; id: string }
  | { type: 'reorder'; parentId: string; order: string[] };

export interface PendingOp {
  id: string; // also the Idempotency-Key of a POST
  label: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
  // The version the edit was made against; null: the resource is created by an earlier op.
  ifMatch?: number | null;
  target: string;
  projectId: string;
  // For a PATCH: the values of the changed fields as the person saw them (three-way check).
  base?: Record<string, unknown>;
  effect: Effect;
  createdAt: number;
  attempts: number;
  lastError?: string;
  // Not sent before this time (a delete waits while it can still be undone); the ops behind it wait too.
  holdUntil?: number;
}

export type ViewTask = Task & { pending?: boolean };

// Edits retried by themselves (a 412 on untouched fields, a reorder that met new siblings)
// give up and ask the person after this many attempts.
export const MAX_AUTOMATIC_RETRIES = 5;

// Later ops that address `from` (a temporary id) address `to` (the server's id) instead; an op
// that was waiting for the resource to exist takes `version` as its If-Match.
export function renameInQueue(ops: PendingOp[], from: string, to: string, version: number | null): PendingOp[] {
  const swap = <T>(value: T): T => JSON.parse(JSON.stringify(value).split(from).join(to)) as T;
  return ops.map((op) => {
    const next: PendingOp = { ...op, path: op.path.split(from).join(to), effect: swap(op.effect) };
    if (op.body !== undefined) next.body = swap(op.body);
    if (op.target === from) {
      next.target = to;
      if (op.ifMatch === null && version !== null) next.ifMatch = version;
    }
    if (op.projectId === from) next.projectId = to;
    return next;
  });
}

// Later edits of `target` that were made on top of version `from` follow it to `to`.
export function advanceVersion(ops: PendingOp[], target: string, from: number | null | undefined, to: number): PendingOp[] {
  return ops.map((op) => (op.target === target && op.ifMatch === from ? { ...op, ifMatch: to } : op));
}

// A reorder the server refused because the siblings changed meanwhile: our order for the ones
// it still has, then the ones we did not know about, in its order.
export function mergeOrder(ours: string[], expected: string[]): string[] {
  const known = new Set(expected);
  const order = ours.filter((id) => known.has(id));
  for (const id of expected) if (!order.includes(id)) order.push(id);
  return order;
}

// What a failed attempt means for the op at the head of the queue.
export type Failure = { network: true } | { network: false; status: number; code: string };
export type FailureKind =
  | 'later' // the server could not be reached (or wants credentials): keep it, try again
  | 'precondition' // 412: someone changed the resource; the conflict rules decide
  | 'done' // a delete of something already gone: the same end state
  | 'reorder-again' // the siblings changed: merge and resend
  | 'refused'; // the server said no for good: drop it and say why

export function classifyFailure(op: PendingOp, failure: Failure): FailureKind {
  if (failure.network || failure.status === 401) return 'later';
  if (failure.status === 412) return 'precondition';
  if (failure.status === 404 && op.method === 'DELETE') return 'done';
  if (failure.code === 'invalid_order' && op.effect.type === 'reorder' && op.attempts < MAX_AUTOMATIC_RETRIES)
    return 'reorder-again';
  return 'refused';
}

// The server's tasks and projects with the pending edits laid over them, in queue order.
export function layPending(
  serverTasks: Map<string, Task>,
  serverProjects: Map<string, Project>,
  ops: PendingOp[],
  projectId: string | null,
): { tasks: Map<string, ViewTask>; projects: Map<string, Project> } {
  const tasks = new Map<string, ViewTask>(serverTasks);
  const projects = new Map(serverProjects);
  const withDescendants = (id: string) => {
    const doomed = [id];
    for (let i = 0; i < doomed.length; i++) for (const t of tasks.values()) if (t.parentId === doomed[i]) doomed.push(t.id);
    return doomed;
  };
  for (const op of ops) {
    const e = op.effect;
    switch (e.type) {
      case 'createProject':
        if (!projects.has(e.project.id)) projects.set(e.project.id, e.project);
        break;
      case 'createTask':
        if (e.task.projectId === projectId && !tasks.has(e.task.id)) tasks.set(e.task.id, { ...e.task, pending: true });
        break;
      case 'patchTask': {
        const t = tasks.get(e.id);
        if (t) tasks.set(e.id, { ...applyFields(t, e.fields), pending: true });
        break;
      }
      case 'deleteTask':
        for (const d of withDescendants(e.id)) tasks.delete(d);
        break;
      case 'reorder':
        e.order.forEach((id, position) => {
          const t = tasks.get(id);
          if (t && t.order !== position) tasks.set(id, { ...t, order: position, pending: true });
        });
        break;
    }
  }
  return { tasks, projects };
}
