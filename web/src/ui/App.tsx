import { useEffect, useRef } from 'preact/hooks';
import { attentionCount } from '../board-rules';
import { useStore } from '../hooks';
import { navigate, useRoute, type Route } from '../router';
import { selectProject } from '../sync/loads';
import { toggleTheme } from '../theme';
import { openDialog, sendCommand, toggleQueue, ui } from '../ui-state';
import { Board } from './Board';
import { ConflictTray } from './Conflicts';
import { Dialogs } from './Dialogs';
import { Header } from './Header';
import { Home } from './Home';
import { SessionsView } from './Sessions';
import { TaskDetail } from './TaskDetail';
import { Toasts } from './Toasts';
import type { Session } from '../types';

function sessionsOfTask(sessions: Iterable<Session>, taskId: string): Session[] {
  return [...sessions].filter((x) => x.taskIds.includes(taskId));
}

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.closest('.xterm')) return true;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

function handleKey(e: KeyboardEvent, route: Route): void {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
    if (typingIn(e.target) && (e.target as HTMLElement).closest('.xterm')) return; // Ctrl+K belongs to the terminal
    e.preventDefault();
    return openDialog(ui.dialog?.kind === 'palette' ? null : { kind: 'palette' });
  }
  if (e.key === 'Escape') {
    if (ui.dialog) return openDialog(null);
    if (ui.queueOpen) return toggleQueue(false);
    if (typingIn(e.target)) return;
    if (route.view === 'board' && route.taskId) return navigate({ view: 'board', projectId: route.projectId });
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target) || ui.dialog) return;
  const inProject = route.view !== 'home';
  const detailOpen = route.view === 'board' && !!route.taskId;
  const command = (c: Parameters<typeof sendCommand>[0]) => {
    e.preventDefault();
    sendCommand(c);
  };
  switch (e.key) {
    case '?':
      e.preventDefault();
      return openDialog({ kind: 'help' });
    case 'p':
      e.preventDefault();
      return openDialog({ kind: 'projects' });
    case 't':
      return toggleTheme();
    case 'b':
      if (inProject) navigate({ view: 'board', projectId: route.projectId });
      return;
    case 's':
      if (inProject) navigate({ view: 'sessions', projectId: route.projectId });
      return;
    case 'n':
      if (route.view === 'board') {
        if (detailOpen) navigate({ view: 'board', projectId: route.projectId });
        command('new-task');
      }
      return;
    case '/':
      if (route.view === 'board') command('filter');
      return;
    case 'j':
    case 'ArrowDown':
      return command('next');
    case 'k':
    case 'ArrowUp':
      return command('prev');
    case 'h':
    case 'ArrowLeft':
      if (!detailOpen) command('left');
      return;
    case 'l':
    case 'ArrowRight':
      if (!detailOpen) command('right');
      return;
    case 'Enter':
      if (!detailOpen && route.view === 'board' && (e.target as HTMLElement)?.tagName !== 'BUTTON') command('open');
      return;
  }
  if (!detailOpen) return;
  switch (e.key) {
    case 'a':
      return command('add-subtask');
    case 'e':
      return command('edit-title');
    case 'x':
      return command('block');
    case 'c':
      return command('complete');
    case 'w':
      return command('spawn-worker');
    case 'o':
      return command('spawn-orchestrator');
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
      return command(`status-${Number(e.key)}`);
  }
}

export function App() {
  const s = useStore();
  const route = useRoute();
  const projectId = route.view === 'home' ? null : route.projectId;

  // A project or task created offline gets its real id once the server has it.
  useEffect(() => {
    if (route.view === 'home') return;
    const realProject = s.resolveId(route.projectId);
    const realTask = route.view === 'board' && route.taskId ? s.resolveId(route.taskId) : undefined;
    if (realProject !== route.projectId || (route.view === 'board' && realTask !== route.taskId))
      navigate({ ...route, projectId: realProject, ...(realTask ? { taskId: realTask } : {}) }, true);
  });

  useEffect(() => {
    selectProject(projectId ? s.resolveId(projectId) : null);
  }, [projectId]);

  // Open the last project when the page is opened without one.
  useEffect(() => {
    if (route.view !== 'home' || !s.projectsLoaded || location.hash.length > 2) return;
    const last = localStorage.getItem('maestro.project');
    if (last && s.projects.has(last)) navigate({ view: 'board', projectId: last }, true);
  }, [s.projectsLoaded]);

  // Keys read the route of the last render, not of the last effect: effects run after paint, and a key
  // pressed in between (a task panel just shown) would otherwise be judged against the previous view.
  const routeNow = useRef(route);
  routeNow.current = route;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => handleKey(e, routeNow.current);
    addEventListener('keydown', listener);
    return () => removeEventListener('keydown', listener);
  }, []);

  // The tab title counts what needs attention, so a background tab says when to look.
  const project = projectId ? s.view().projects.get(s.resolveId(projectId)) : undefined;
  const projectTasks = [...s.view().tasks.values()].filter((t) => t.projectId === project?.id);
  const attention = project ? attentionCount(projectTasks, (id) => sessionsOfTask(s.sessions.values(), id), s.conflicts.length) : s.conflicts.length;
  useEffect(() => {
    document.title = `${attention ? `(${attention}) ` : ''}${project ? `${project.name} · ` : ''}Maestro`;
  }, [attention, project?.name]);

  const drawerOpen = route.view === 'board' && !!route.taskId;
  return (
    <div class={`app ${drawerOpen ? 'has-drawer' : ''}`}>
      <Header route={route} />
      <main class="main" id="main" tabIndex={-1}>
        {route.view === 'home' && <Home />}
        {route.view === 'board' && <Board projectId={s.resolveId(route.projectId)} selectedId={route.taskId} />}
        {route.view === 'sessions' && <SessionsView projectId={s.resolveId(route.projectId)} sessionId={route.sessionId} />}
      </main>
      {route.view === 'board' && route.taskId && (
        <TaskDetail key={s.resolveId(route.taskId)} projectId={s.resolveId(route.projectId)} taskId={s.resolveId(route.taskId)} />
      )}
      <ConflictTray />
      <Toasts />
      <Dialogs route={route} />
    </div>
  );
}
