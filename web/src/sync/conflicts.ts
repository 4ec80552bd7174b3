// What to do when an edit meets a newer version on the server (412), free of I/O. The fields
// the edit changes are compared in three places: what the person saw (`base`), what they want
// (the body) and what the server has now.
import { fieldOf, sameValue } from '../task-fields';
import type { Task } from '../types';
import { MAX_AUTOMATIC_RETRIES, type PendingOp } from './queue-rules';

export interface Conflict {
  id: string;
  op: PendingOp;
  current: Task | null;
  message: string;
  at: number;
}

export type Verdict =
  | 'applied' // the server already has our values: an earlier attempt went through, its reply was lost
  | 'retry' // someone changed other fields only: send again on the new version, nothing of theirs is lost
  | 'conflict'; // someone changed what we change (or deleted what we edit): the person decides

export function judgePrecondition(op: PendingOp, current: Task | null): Verdict {
  if (op.method !== 'PATCH' || !current) return 'conflict';
  const fields = Object.keys(op.body ?? {}).filter((k) => k !== 'timeline');
  if (fields.every((k) => sameValue(fieldOf(current, k), op.body?.[k]))) return 'applied';
  if (op.base && fields.every((k) => sameValue(fieldOf(current, k), op.base![k])) && op.attempts < MAX_AUTOMATIC_RETRIES)
    return 'retry';
  return 'conflict';
}

export function conflictOf(op: PendingOp, current: Task | null, at: number): Conflict {
  const title = current?.title ?? 'this task';
  return {
    id: op.id,
    op,
    current,
    at,
    message:
      op.method === 'DELETE'
        ? `Someone changed “${title}” before your delete reached the server.`
        : `Someone else changed “${title}” while your edit was waiting.`,
  };
}

// “Use mine”: the same edit again, made on the latest version the page knows, with that
// version's values as its base — so a further change by someone else is caught again.
export function resendMine(conflict: Conflict, latest: Task | null, id: string, now: number): PendingOp {
  const op = conflict.op;
  const base: Record<string, unknown> = {};
  if (latest) for (const k of Object.keys(op.body ?? {})) base[k] = fieldOf(latest, k);
  return {
    ...op,
    id,
    ifMatch: latest?.version ?? op.ifMatch,
    base,
    attempts: 0,
    lastError: undefined,
    createdAt: now,
  };
}
