// Wire shapes of maestro-server (docs/api.md). Times are milliseconds since the epoch.

export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type Priority = 'low' | 'medium' | 'high';

export const STATUS_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  blocked: 'Blocked',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export interface Project {
  id: string;
  name: string;
  workingDir: string;
  description: string;
  isolation?: 'worktree' | 'none' | null;
  baseBranch?: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface TimelineEntry {
  id: string;
  type: string;
  timestamp: number;
  message: string;
  sessionId?: string;
}

export interface Task {
  id: string;
  projectId: string;
  parentId: string | null;
  title: string;
  description: string;
  status: TaskStatus;
  priority: Priority;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  completedAt: number | null;
  initialPrompt: string;
  sessionIds: string[];
  skillIds: string[];
  agentIds: string[];
  dependencies: string[];
  blockedReason: string | null;
  order: number;
  version: number;
  timeline: TimelineEntry[];
  // Present on subtask views.
  taskId?: string;
  completed?: boolean;
}

export type SessionStatus =
  | 'spawning'
  | 'running'
  | 'idle'
  | 'working'
  | 'completed'
  | 'failed'
  | 'stopped'
  | 'lost';

export const LIVE_SESSION_STATUSES: ReadonlySet<string> = new Set(['spawning', 'running', 'idle', 'working']);

export interface Session {
  id: string;
  projectId: string;
  taskIds: string[];
  name: string;
  role: string;
  status: SessionStatus;
  agent: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  pid: number | null;
  exitCode: number | null;
  startedAt: number;
  lastActivity: number;
  completedAt: number | null;
  hostname: string;
  platform: string;
  parentSessionId: string | null;
  metadata: Record<string, unknown>;
  worktree?: Worktree | null; // absent from servers without worktrees
  timeline: TimelineEntry[];
  // What the agent is doing, apart from status (absent from servers that do not judge it).
  activity?: Activity;
  activitySince?: number;
  activityReason?: string;
  activitySource?: string;
  version?: number;
}

export type Activity = 'starting' | 'working' | 'idle' | 'needs_input' | 'stalled' | 'exited';

// session:activity
export interface ActivityChange {
  sessionId: string;
  projectId: string;
  activity: Activity;
  since: number;
  reason: string;
  source: string;
}

// GET /api/attention: one thing that needs a person.
export interface AttentionItem {
  id: string;
  kind: 'needs_input' | 'stalled' | 'failed' | 'review' | 'blocked' | string;
  projectId: string;
  sessionId: string | null;
  taskId: string | null;
  since: number;
  summary: string;
}

// The git worktree and branch a session works in (docs/worktrees.md).
export interface Worktree {
  path: string;
  branch: string;
  base: string;
  baseCommit: string;
  repository: string;
  state: 'active' | 'merged' | 'discarded';
  diskBytes: number | null;
  mergedCommit: string | null;
  // Files its branch changed, as its session ended: more than none asks for a review.
  changedFiles: number | null;
}

export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'typechange';
  additions: number;
  deletions: number;
  binary: boolean;
  uncommitted: boolean;
}

// GET /api/sessions/:id/changes, and session:changes (without overlaps, files possibly cut).
export interface ChangeSet {
  sessionId: string;
  projectId: string;
  taskIds: string[];
  branch: string;
  base: string;
  head: string;
  ahead: number;
  behind: number;
  additions: number;
  deletions: number;
  fileCount: number;
  files: FileChange[];
  truncated?: boolean;
  overlaps?: { sessionId: string; paths: string[] }[];
}

// project:overlap and GET /api/projects/:id/overlaps: live sessions changing the same paths.
export interface Overlap {
  projectId: string;
  sessionIds: string[];
  taskIds: string[];
  paths: string[];
}

export interface ServerEvent {
  type: string;
  event: string;
  seq: number;
  data: unknown; // the entity, or for deletes and session:exited the fields that say what happened
  timestamp: number;
  // A stub: the event was too large to send whole; `id` names what it is about
  // (sync/stubs.ts fetches it) and `data` is absent.
  truncated?: true;
  id?: string;
}

export interface ErrorBody {
  error: true;
  statusCode: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

// GET /api/agents: a profile a spawn may name; `default` marks the server's defaultAgent.
export interface AgentProfile {
  name: string;
  command: string;
  args: string[];
  default: boolean;
  available?: boolean; // absent from servers that do not check
  version?: string | null; // what `COMMAND --version` said
  reason?: string;
}

// What the UI reads of a skill (GET /api/skills/role/:role).
export interface SkillSummary {
  id: string;
  name: string;
  status: string;
  instructions: string;
  templates: { id: string; roles: string[] }[];
}
