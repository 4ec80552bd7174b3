// Board rules, free of I/O: where a card moved inside a column lands in the API's `order`, the
// status a reopened task returns to, what a card says about its agents, and what needs attention.
import type { Session, SessionStatus, Task, TaskStatus } from './types';
import { TASK_STATUSES } from './types';

const PRIORITY_RANK = { high: 0, medium: 1, low: 2 } as const;

export const byManualOrder = (a: Task, b: Task): number => a.order - b.order || a.createdAt - b.createdAt || a.id.localeCompare(b.id);
export const byPriority = (a: Task, b: Task): number => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || byManualOrder(a, b);

// The `order` changes that put `movedId` at `toIndex` of a column shown in manual order. The
// column keeps the set of order values it had (strictly increasing), so its place among the
// project's other tasks does not move; only tasks whose value changes are returned.
export function reorderColumn(column: Task[], movedId: string, toIndex: number): { id: string; order: number }[] {
  const from = column.findIndex((t) => t.id === movedId);
  if (from < 0) return [];
  const ids = column.map((t) => t.id);
  ids.splice(Math.max(0, Math.min(ids.length - 1, toIndex)), 0, ...ids.splice(from, 1));
  const slots = column.map((t) => t.order).sort((a, b) => a - b);
  for (let i = 1; i < slots.length; i++) if (slots[i] <= slots[i - 1]) slots[i] = slots[i - 1] + 1;
  const before = new Map(column.map((t) => [t.id, t.order]));
  return ids.flatMap((id, i) => (before.get(id) === slots[i] ? [] : [{ id, order: slots[i] }]));
}

// The status a completed (or cancelled) task goes back to: the one it left, as its timeline
// tells ("Status changed from X to completed"); a blocked one goes back to work instead, since
// its reason is gone. Without a record: in progress if it was ever started, else to do.
export function reopenStatus(task: Task): TaskStatus {
  const pattern = new RegExp(`^Status changed from (\\w+) to ${task.status}$`);
  for (let i = (task.timeline?.length ?? 0) - 1; i >= 0; i--) {
    const entry = task.timeline[i];
    if (entry.type !== 'status_changed') continue;
    const from = pattern.exec(entry.message)?.[1] as TaskStatus | undefined;
    if (from && (TASK_STATUSES as readonly string[]).includes(from) && from !== task.status && from !== 'blocked') return from;
    break;
  }
  return task.startedAt ? 'in_progress' : 'todo';
}

// What a card shows about the agents on a task. Lifecycle statuses today; a session's `activity`
// (working, needs_input, idle, stalled) takes precedence once the server reports it.
export type AgentState = 'needs_input' | 'lost' | 'stalled' | 'working' | 'idle' | 'starting' | 'failed';
export const AGENT_STATE_LABELS: Record<AgentState, string> = {
  needs_input: 'needs input',
  lost: 'node lost',
  stalled: 'stalled',
  working: 'working',
  idle: 'idle',
  starting: 'starting',
  failed: 'failed',
};
const STATE_RANK: AgentState[] = ['needs_input', 'lost', 'stalled', 'failed', 'working', 'starting', 'idle'];
const LIVE: Partial<Record<SessionStatus, AgentState>> = { spawning: 'starting', running: 'working', working: 'working', idle: 'idle' };

type WithActivity = Session & { activity?: string };

export function agentStateOf(session: WithActivity): AgentState | null {
  const activity = session.activity;
  if (activity === 'needs_input' || activity === 'stalled' || activity === 'working' || activity === 'idle') {
    if (LIVE[session.status]) return activity;
  }
  // Lost: its node stopped heartbeating; it may still run there, and is back when the node is.
  if (session.status === 'lost') return 'lost';
  return LIVE[session.status] ?? (session.status === 'failed' ? 'failed' : null);
}

// The one state a card shows for its task's sessions: the most urgent of the live ones; with
// none live, `failed` when the latest session failed. Null: nothing to say.
export function taskAgentState(sessions: WithActivity[]): AgentState | null {
  const live = sessions.map(agentStateOf).filter((s): s is AgentState => s !== null && s !== 'failed');
  if (live.length) return STATE_RANK.find((s) => live.includes(s)) ?? null;
  const latest = [...sessions].sort((a, b) => b.startedAt - a.startedAt)[0];
  return latest && agentStateOf(latest) === 'failed' ? 'failed' : null;
}

// How many things want the person: blocked open tasks, tasks whose agent failed or waits for
// input, and edits in conflict. Shown in the tab title.
export function attentionCount(tasks: Task[], sessionsOf: (taskId: string) => WithActivity[], conflicts: number): number {
  let count = conflicts;
  for (const task of tasks) {
    if (task.status === 'completed' || task.status === 'cancelled') continue;
    const state = taskAgentState(sessionsOf(task.id));
    if (task.status === 'blocked' || state === 'failed' || state === 'needs_input' || state === 'stalled' || state === 'lost') count++;
  }
  return count;
}
