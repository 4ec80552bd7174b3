// Wire shapes of maestro-server: generated from docs/openapi.yaml into api.gen.ts (npm run
// gen:api; CI fails when it is stale). Times are milliseconds since the epoch. What is here
// beside the re-exports is the UI's own: labels, and the views it builds on the wire shapes.
import { taskStatusValues, type components, type SessionStatus, type TaskStatus } from './api.gen';

type Schemas = components['schemas'];

export type {
  Activity,
  ActivityChange,
  AgentProfile,
  AttentionItem,
  ChangedFile as FileChange,
  Error as ErrorBody,
  Overlap,
  Project,
  Session,
  SessionStatus,
  TaskPriority as Priority,
  TaskStatus,
  TimelineEntry,
  Worktree,
} from './api.gen';

export const TASK_STATUSES: readonly TaskStatus[] = taskStatusValues;

export const STATUS_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  blocked: 'Blocked',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

// A task as the board keeps it: the task, or a subtask with its view's fields.
export type Task = Schemas['Task'] & Partial<Pick<Schemas['Subtask'], 'taskId' | 'completed'>>;

// The session statuses of a live process (docs/api.md).
const LIVE: readonly SessionStatus[] = ['spawning', 'running', 'idle', 'working'];
export const LIVE_SESSION_STATUSES: ReadonlySet<string> = new Set(LIVE);

// GET /api/sessions/:id/changes, and session:changes (without overlaps, files possibly cut).
export type ChangeSet = Omit<Schemas['Changes'], 'overlaps'> & Partial<Pick<Schemas['Changes'], 'overlaps'>>;

// An event as the WebSocket delivers it: whole, or a stub (sync/stubs.ts fetches what its `id`
// names) with no `data`.
export type ServerEvent = Omit<Schemas['Event'], 'data'> & { data?: unknown } & Partial<
    Pick<Schemas['EventStub'], 'id' | 'truncated'>
  >;

// What the UI reads of a skill (GET /api/skills/role/:role).
export type SkillSummary = Pick<Schemas['Skill'], 'id' | 'name' | 'status' | 'instructions'> & {
  templates: Pick<Schemas['Skill']['templates'][number], 'id' | 'roles'>[];
};
