// The patchable fields of a task: applying a patch the way the server does, reading a field as
// the server reports it, and comparing values. Pure, so the queue and conflict rules can use it
// anywhere (and be tested under node).
import type { Priority, Task, TaskStatus } from './types';

export type TaskFields = Partial<{
  title: string;
  description: string;
  status: TaskStatus;
  priority: Priority;
  blockedReason: string | null;
  completed: boolean;
  order: number;
}>;

export function applyFields(task: Task, fields: TaskFields): Task {
  const next: Task = { ...task };
  if (fields.title !== undefined) next.title = fields.title;
  if (fields.description !== undefined) next.description = fields.description;
  if (fields.priority !== undefined) next.priority = fields.priority;
  if (fields.status !== undefined) next.status = fields.status;
  else if (fields.completed !== undefined)
    next.status = fields.completed ? 'completed' : task.status === 'completed' ? 'todo' : task.status;
  if (fields.blockedReason !== undefined) next.blockedReason = fields.blockedReason;
  if (fields.order !== undefined) next.order = fields.order;
  if (next.status !== 'blocked') next.blockedReason = null;
  next.completed = next.status === 'completed';
  return next;
}

// The value of a patchable field on a task as the server reports it.
export function fieldOf(task: Task, key: string): unknown {
  if (key === 'completed') return task.status === 'completed';
  const value = (task as unknown as Record<string, unknown>)[key];
  return value === undefined ? null : value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

// The children of a task in sibling order.
export function subtasksOf<T extends Task>(tasks: Map<string, T>, parentId: string): T[] {
  const list: T[] = [];
  for (const t of tasks.values()) if (t.parentId === parentId) list.push(t);
  return list.sort((a, b) => a.order - b.order || a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
