// Application state: what the server last told us, the edits still on their way to it
// (persisted, so they survive a reload), conflicts waiting for the person, and the view
// that lays the pending edits over the server's state.
import type { LinkState } from './connection';
import type { Conflict } from './sync/conflicts';
import { layPending, type PendingOp, type ViewTask } from './sync/queue-rules';
import type { Role } from './spawning';
import type { ActivityChange, AgentProfile, AttentionItem, ChangeSet, Overlap, Project, ServerEvent, Session, SkillSummary, Task } from './types';

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
  action?: { label: string; run: () => void };
}

const QUEUE_KEY = 'maestro.pending.v1';
const CONFLICTS_KEY = 'maestro.conflicts.v1';
const SNAPSHOT_KEY = 'maestro.snapshot.v1';
const SNAPSHOT_DELAY_MS = 1000;
const SNAPSHOT_TIMELINE = 30;

// The last state seen from the server, so a reload without a server still shows the board.
interface Snapshot {
  projects: Project[];
  projectId: string | null;
  tasks: Task[];
  sessions: Session[];
  savedAt: number;
}

function readJson<T>(key: string, fallback: T): T {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the edit still goes out while the page is open */
  }
}

// The full session in an event's data (`session:spawn_request` wraps it with the plan).
export function sessionOf(data: unknown): Session | null {
  const wrapped = data as { session?: unknown } | null | undefined;
  const candidate = (wrapped?.session ?? data) as Partial<Session> | null | undefined;
  return candidate && typeof candidate.id === 'string' && typeof candidate.status === 'string' && Array.isArray(candidate.taskIds)
    ? (candidate as Session)
    : null;
}

export class Store {
  projects = new Map<string, Project>();
  projectsLoaded = false;
  projectId: string | null = null;
  tasks = new Map<string, Task>();
  tasksLoaded = false;
  sessions = new Map<string, Session>();
  sessionsSupported = true;
  // Sessions' change sets (session:changes, or loaded by the changes panel), and the current
  // overlaps between the project's live sessions (project:overlap).
  changes = new Map<string, ChangeSet>();
  overlaps: Overlap[] = [];
  // What spawning offers: the server's agent profiles and the skills each role gets (null: not loaded).
  agents: AgentProfile[] | null = null;
  // The attention inbox of every project (null: not loaded, or the server has none).
  attention: AttentionItem[] | null = null;
  roleSkills = new Map<Role, SkillSummary[]>();
  ops: PendingOp[] = readJson<PendingOp[]>(QUEUE_KEY, []);
  conflicts: Conflict[] = readJson<Conflict[]>(CONFLICTS_KEY, []);
  toasts: Toast[] = [];
  link: LinkState = { status: 'connecting', attempt: 0 };
  // Temporary ids of things created offline → the ids the server gave them.
  aliases = new Map<string, string>();
  version = 0;

  private listeners = new Set<() => void>();
  private scheduled = false;
  private snapshot: Snapshot | null = readJson<Snapshot | null>(SNAPSHOT_KEY, null);
  private snapshotTimer: number | undefined;
  private toastSeq = 0;
  private cachedView: { version: number; tasks: Map<string, ViewTask>; projects: Map<string, Project> } | null = null;

  constructor() {
    if (this.snapshot) this.projects = new Map(this.snapshot.projects.map((p) => [p.id, p]));
    // A reload or a closed tab within a second of a change would lose what it changed: the
    // snapshot is written as the page goes, not only by its timer.
    addEventListener('pagehide', () => {
      if (this.snapshotTimer === undefined) return;
      clearTimeout(this.snapshotTimer);
      this.saveSnapshot();
    });
    // Another tab changed the queue (each tab shows the same pending edits).
    addEventListener('storage', (e) => {
      if (e.key === QUEUE_KEY) this.ops = readJson<PendingOp[]>(QUEUE_KEY, []);
      else if (e.key === CONFLICTS_KEY) this.conflicts = readJson<Conflict[]>(CONFLICTS_KEY, []);
      else return;
      this.changed();
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // Batches notifications into one render per microtask.
  changed(): void {
    this.version++;
    if (this.snapshotTimer === undefined)
      this.snapshotTimer = window.setTimeout(() => this.saveSnapshot(), SNAPSHOT_DELAY_MS);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  // The cached tasks and sessions of a project, until the server sends fresh ones.
  cachedProject(projectId: string): { tasks: Task[]; sessions: Session[] } | null {
    return this.snapshot?.projectId === projectId ? this.snapshot : null;
  }

  private saveSnapshot(): void {
    this.snapshotTimer = undefined;
    if (!this.projectsLoaded) return; // nothing new from the server yet
    const trim = (t: Task): Task =>
      t.timeline && t.timeline.length > SNAPSHOT_TIMELINE ? { ...t, timeline: t.timeline.slice(-SNAPSHOT_TIMELINE) } : t;
    const keepTasks = this.tasksLoaded;
    this.snapshot = {
      projects: [...this.projects.values()],
      projectId: keepTasks ? this.projectId : (this.snapshot?.projectId ?? null),
      tasks: keepTasks ? [...this.tasks.values()].map(trim) : (this.snapshot?.tasks ?? []),
      sessions: keepTasks ? [...this.sessions.values()] : (this.snapshot?.sessions ?? []),
      savedAt: Date.now(),
    };
    writeJson(SNAPSHOT_KEY, this.snapshot);
  }

  resolveId(id: string): string {
    return this.aliases.get(id) ?? id;
  }

  // ---- server state ----

  upsertProject(project: Project): void {
    const known = this.projects.get(project.id);
    if (known && known.version > project.version) return;
    this.projects.set(project.id, project);
    this.changed();
  }

  removeProject(id: string): void {
    if (this.projects.delete(id)) this.changed();
  }

  upsertTask(task: Task): void {
    if (task.projectId !== this.projectId) return;
    const known = this.tasks.get(task.id);
    if (known && known.version > task.version) return;
    this.tasks.set(task.id, task);
    this.changed();
  }

  removeTask(id: string): void {
    const doomed = [id];
    for (let i = 0; i < doomed.length; i++)
      for (const t of this.tasks.values()) if (t.parentId === doomed[i]) doomed.push(t.id);
    for (const d of doomed) this.tasks.delete(d);
    this.changed();
  }

  upsertSession(session: Session): void {
    if (session.projectId !== this.projectId) return;
    const known = this.sessions.get(session.id);
    if (known?.version !== undefined && session.version !== undefined && known.version > session.version) return;
    this.sessions.set(session.id, session);
    this.changed();
  }

  applyEvent(event: ServerEvent): void {
    // What deletes and session:exited carry; creates and updates carry the whole entity.
    const data = (event.data ?? {}) as {
      id?: string;
      projectId?: string;
      sessionId?: string;
      status?: Session['status'];
      exitCode?: number | null;
    };
    switch (event.type) {
      case 'project:created':
      case 'project:updated':
        if (data.id) this.upsertProject(data as Project);
        return;
      case 'project:deleted':
        if (data.id) this.removeProject(data.id);
        return;
      case 'task:created':
      case 'task:updated':
        if (data.id) this.upsertTask(data as Task);
        return;
      case 'task:deleted':
        if (data.id && data.projectId === this.projectId) this.removeTask(data.id);
        return;
      case 'session:changes':
        this.setChanges(event.data as ChangeSet);
        return;
      case 'project:overlap':
        this.setOverlap(event.data as Overlap);
        return;
    }
    if (event.type === 'session:activity') {
      const change = event.data as ActivityChange;
      const known = this.sessions.get(change.sessionId);
      if (!known) return;
      this.sessions.set(change.sessionId, {
        ...known,
        activity: change.activity,
        activitySince: change.since,
        activityReason: change.reason,
        activitySource: change.source,
      });
      this.changed();
      return;
    }
    if (event.type.startsWith('session:')) {
      const session = sessionOf(data);
      const id: string | undefined = session?.id ?? data.sessionId ?? data.id;
      if (event.type === 'session:deleted') {
        if (id && this.sessions.delete(id)) this.changed();
      } else if (session) {
        this.upsertSession(session);
      } else if (id && this.sessions.has(id)) {
        // session:exited carries only what changed: status and exit code.
        const known = this.sessions.get(id)!;
        this.sessions.set(id, {
          ...known,
          status: data.status ?? known.status,
          exitCode: data.exitCode ?? known.exitCode,
          completedAt: known.completedAt ?? event.timestamp,
        });
        this.changed();
      }
    }
    // subtask:* repeat what task:* already said about the same row.
  }

  setChanges(changes: ChangeSet): void {
    if (changes.projectId !== this.projectId) return;
    const known = this.changes.get(changes.sessionId);
    // An event lists at most 200 files; a full set loaded by the panel keeps its overlaps.
    this.changes.set(changes.sessionId, { ...changes, overlaps: changes.overlaps ?? known?.overlaps });
    this.changed();
  }

  setOverlap(overlap: Overlap): void {
    if (overlap.projectId !== this.projectId) return;
    const key = overlap.sessionIds.join(' ');
    this.overlaps = this.overlaps.filter((o) => o.sessionIds.join(' ') !== key);
    if (overlap.paths.length > 0) this.overlaps.push(overlap);
    this.changed();
  }

  // The overlaps a task is part of.
  overlapsOfTask(taskId: string): Overlap[] {
    return this.overlaps.filter((o) => o.taskIds.includes(taskId));
  }

  // ---- pending edits ----

  saveQueue(): void {
    writeJson(QUEUE_KEY, this.ops);
    this.changed();
  }

  saveConflicts(): void {
    writeJson(CONFLICTS_KEY, this.conflicts);
    this.changed();
  }

  enqueue(op: PendingOp): void {
    this.ops.push(op);
    this.saveQueue();
  }

  dropOp(id: string): void {
    this.ops = this.ops.filter((op) => op.id !== id);
    this.saveQueue();
  }

  toast(text: string, kind: Toast['kind'] = 'info', action?: Toast['action'], showMs?: number): void {
    const id = ++this.toastSeq;
    this.toasts = [...this.toasts, { id, kind, text, action }];
    this.changed();
    setTimeout(() => this.dismissToast(id), showMs ?? (kind === 'error' ? 9000 : 4000));
  }

  dismissToast(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
    this.changed();
  }

  // ---- the view: server state + pending edits ----

  view(): { tasks: Map<string, ViewTask>; projects: Map<string, Project> } {
    if (this.cachedView?.version !== this.version)
      this.cachedView = { version: this.version, ...layPending(this.tasks, this.projects, this.ops, this.projectId) };
    return this.cachedView;
  }
}

export const store = new Store();
