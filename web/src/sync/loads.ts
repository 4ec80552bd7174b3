// Loading state from the server: all projects, and a project's tasks and sessions. Events that
// arrive while a load is under way wait for it and then apply on top (by version).
import { ApiError, NetworkError, get, getAll } from '../api';
import { store } from '../store';
import { resolveStub } from './stubs';
import type { Role } from '../spawning';
import type { AgentProfile, AttentionItem, Overlap, Project, ServerEvent, Session, SkillSummary, Task } from '../types';

let loads = 0;
let buffered: ServerEvent[] = [];

const ROLES: Role[] = ['worker', 'orchestrator'];

// The agent profiles and the skills of each role, for the spawn controls. Loaded on connecting
// (again when the stream could not be resumed) and whenever a skill is loaded or unloaded.
export async function loadSpawnInfo(): Promise<void> {
  try {
    const [agents, ...skills] = await Promise.all([
      getAll<AgentProfile>('/api/agents'),
      ...ROLES.map((role) => getAll<SkillSummary>(`/api/skills/role/${role}`)),
    ]);
    store.agents = agents;
    store.roleSkills = new Map(ROLES.map((role, i) => [role, skills[i]]));
    store.changed();
  } catch (e) {
    if (!(e instanceof NetworkError)) store.toast(`Could not load the agent profiles: ${(e as Error).message}`, 'error');
  }
}

// The attention inbox of every project: loaded on connecting and again whenever the server
// announces a change (attention:changed); a burst of changes costs one request in flight and
// one after it.
let attentionLoading: Promise<void> | null = null;
let attentionAgain = false;
export async function loadAttention(): Promise<void> {
  if (attentionLoading) {
    attentionAgain = true;
    return attentionLoading;
  }
  attentionLoading = (async () => {
    do {
      attentionAgain = false;
      try {
        store.attention = await get<AttentionItem[]>('/api/attention');
        store.changed();
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) store.attention = null; // an older server
        else if (!(e instanceof NetworkError)) store.toast(`Could not load the inbox: ${(e as Error).message}`, 'error');
      }
    } while (attentionAgain);
  })();
  try {
    await attentionLoading;
  } finally {
    attentionLoading = null;
  }
}

// Applies an event now, or after the loads under way.
export function receiveEvent(event: ServerEvent): void {
  if (event.type.startsWith('skill:')) void loadSpawnInfo();
  if (event.type === 'attention:changed') void loadAttention();
  if (loads > 0) buffered.push(event);
  else store.applyEvent(event);
}

// An event sent as a stub: its subject is fetched, and the events that arrive meanwhile wait
// for it, so they still apply after it.
export function receiveStub(event: ServerEvent): void {
  void withBufferedEvents(async () => {
    try {
      const whole = await resolveStub(event, get, store.projectId);
      if (whole) store.applyEvent(whole);
    } catch (e) {
      if (!(e instanceof NetworkError)) store.toast(`Could not load a change: ${(e as Error).message}`, 'error');
    }
  });
}

// Runs `load` while events wait; they apply when the last such load has finished.
export async function withBufferedEvents(load: () => Promise<void>): Promise<void> {
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

export async function reloadAll(): Promise<void> {
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
  const missingRoute = (e: unknown) => {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null; // an older server
    throw e;
  };
  const [tasks, sessions, overlaps] = await Promise.all([
    getAll<Task>(`/api/tasks?projectId=${encodeURIComponent(projectId)}`),
    getAll<Session>(`/api/sessions?projectId=${encodeURIComponent(projectId)}`).catch(missingRoute),
    get<Overlap[]>(`/api/projects/${encodeURIComponent(projectId)}/overlaps`).catch(missingRoute),
  ]);
  if (store.projectId !== projectId) return;
  store.tasks = new Map(tasks.map((t) => [t.id, t]));
  store.tasksLoaded = true;
  store.sessionsSupported = sessions !== null;
  store.sessions = new Map((sessions ?? []).map((s) => [s.id, s]));
  store.overlaps = overlaps ?? [];
  store.changed();
}

export function selectProject(projectId: string | null): void {
  if (store.projectId === projectId) return;
  const cached = projectId ? store.cachedProject(projectId) : null;
  store.projectId = projectId;
  store.tasks = new Map((cached?.tasks ?? []).map((t) => [t.id, t]));
  store.sessions = new Map((cached?.sessions ?? []).map((x) => [x.id, x]));
  store.changes = new Map();
  store.overlaps = [];
  store.tasksLoaded = false;
  store.changed();
  if (!projectId) return;
  try {
    localStorage.setItem('maestro.project', projectId);
  } catch {
    /* private mode: the next visit starts on the project list */
  }
  if (projectId.startsWith('tmp_')) {
    store.tasksLoaded = true; // created offline: nothing to load yet
    return;
  }
  void withBufferedEvents(() => loadProjectData(projectId)).catch((e: unknown) => {
    if (!(e instanceof NetworkError)) store.toast(`Could not load the project: ${(e as Error).message}`, 'error');
  });
}
