// The command palette (Ctrl/Cmd+K): every action of the UI, found by typing part of its name.
import { useRef, useState } from 'preact/hooks';
import { useStore } from '../hooks';
import { navigate, type Route } from '../router';
import { deleteTask, setCompleted, stopSession, unblockTask, updateTask } from '../sync/actions';
import { toggleTheme } from '../theme';
import { LIVE_SESSION_STATUSES, STATUS_LABELS, TASK_STATUSES, type Priority } from '../types';
import { openDialog, sendCommand, setBoardPreference, type Command } from '../ui-state';
import { Modal } from './Modal';

interface Action {
  id: string;
  group: string;
  label: string;
  keys?: string;
  run: () => void;
}

function actionsFor(route: Route, s: ReturnType<typeof useStore>): Action[] {
  const view = s.view();
  const actions: Action[] = [];
  const add = (group: string, label: string, run: () => void, keys?: string) =>
    actions.push({ id: `${group}:${label}`, group, label, run, keys });
  const projectId = route.view === 'home' ? null : s.resolveId(route.projectId);
  // Commands for the board or the open task, sent once the view they need is shown.
  const command = (c: Command, needs?: Route) => () => {
    if (needs) navigate(needs);
    setTimeout(() => sendCommand(c), 0);
  };

  if (projectId) {
    const board: Route = { view: 'board', projectId };
    add('Go to', 'Board', () => navigate(board), 'b');
    add('Go to', 'Sessions', () => navigate({ view: 'sessions', projectId }), 's');
    add('Create', 'New task', command('new-task', board), 'n');
    add('Board', 'Filter tasks', command('filter', board), '/');
    add('Board', 'Show as columns', () => setBoardPreference({ boardView: 'board' }));
    add('Board', 'Show as a list', () => setBoardPreference({ boardView: 'list' }));
    add('Board', 'Show as a tree of subtasks', () => setBoardPreference({ boardView: 'tree' }));
    add('Board', 'Sort by priority', () => setBoardPreference({ sortBy: 'priority' }));
    add('Board', 'Sort in manual order', () => setBoardPreference({ sortBy: 'manual' }));
    add('Board', 'Group the list by status', () => setBoardPreference({ groupBy: 'status', boardView: 'list' }));
    add('Board', 'Group the list by priority', () => setBoardPreference({ groupBy: 'priority', boardView: 'list' }));
  }
  add('Go to', 'All projects', () => navigate({ view: 'home' }));
  add('Go to', 'Switch project…', () => openDialog({ kind: 'projects' }), 'p');
  add('Create', 'New project…', () => openDialog({ kind: 'newProject' }));
  add('Settings', 'Switch light / dark theme', toggleTheme, 't');
  add('Help', 'Keyboard shortcuts', () => openDialog({ kind: 'help' }), '?');

  const task = route.view === 'board' && route.taskId ? view.tasks.get(s.resolveId(route.taskId)) : undefined;
  if (task) {
    const group = `Task “${task.title}”`;
    add(group, 'Edit the title', command('edit-title'), 'e');
    add(group, 'Add a subtask', command('add-subtask'), 'a');
    if (task.status === 'blocked') add(group, 'Unblock', () => unblockTask(task.id), 'x');
    else add(group, 'Block…', () => openDialog({ kind: 'block', taskId: task.id }), 'x');
    add(group, task.status === 'completed' ? 'Reopen' : 'Complete', () => setCompleted(task.id, task.status !== 'completed'), 'c');
    TASK_STATUSES.forEach((status, i) => {
      if (status === task.status) return;
      if (status === 'blocked') return;
      add(group, `Move to ${STATUS_LABELS[status]}`, () => updateTask(task.id, { status }, `move “${task.title}” to ${STATUS_LABELS[status]}`), String(i + 1));
    });
    (['high', 'medium', 'low'] as Priority[]).forEach((priority) => {
      if (priority !== task.priority) add(group, `Priority ${priority}`, () => updateTask(task.id, { priority }, `set priority of “${task.title}”`));
    });
    if (!task.id.startsWith('tmp_')) {
      add(group, 'Spawn a worker…', () => openDialog({ kind: 'spawn', taskId: task.id, role: 'worker' }), 'w');
      add(group, 'Spawn an orchestrator…', () => openDialog({ kind: 'spawn', taskId: task.id, role: 'orchestrator' }), 'o');
    }
    add(group, 'Delete (can be undone for 5 s)', () => {
      deleteTask(task.id);
      navigate(task.parentId ? { view: 'board', projectId: task.projectId, taskId: task.parentId } : { view: 'board', projectId: task.projectId }, true);
    });
  }

  for (const p of view.projects.values()) if (p.id !== projectId) add('Open project', p.name, () => navigate({ view: 'board', projectId: p.id }));
  if (projectId) {
    for (const t of view.tasks.values())
      if (t.projectId === projectId && t.id !== task?.id) add('Open task', t.title, () => navigate({ view: 'board', projectId, taskId: t.id }));
    for (const session of s.sessions.values()) {
      const name = session.name || session.id;
      add('Open session', name, () => navigate({ view: 'sessions', projectId, sessionId: session.id }));
      if (LIVE_SESSION_STATUSES.has(session.status)) add('Stop session', name, () => void stopSession(session.id));
    }
  }
  return actions;
}

function matches(action: Action, words: string[]): boolean {
  const text = `${action.group} ${action.label}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

export function Palette({ route }: { route: Route }) {
  const s = useStore();
  const [query, setQuery] = useState('');
  const [index, setIndexState] = useState(0);
  // Enter reads the index from a ref: it can arrive before the re-render after an arrow key.
  const indexRef = useRef(0);
  const setIndex = (next: number) => {
    indexRef.current = next;
    setIndexState(next);
  };
  const search = (text: string) => {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    return actionsFor(route, s)
      .filter((a) => matches(a, words))
      .slice(0, 60);
  };
  const found = search(query);
  const active = Math.min(index, found.length - 1);
  const activeNow = () => Math.min(indexRef.current, found.length - 1);
  const run = (action: Action | undefined) => {
    if (!action) return;
    openDialog(null);
    action.run();
  };
  return (
    <Modal title="Run an action" testId="palette" wide>
      <input
        class="input palette-input"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-autocomplete="list"
        aria-activedescendant={found[active] ? `palette-${active}` : undefined}
        aria-label="Action"
        placeholder="Type to find an action or a task…"
        data-testid="palette-input"
        value={query}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setIndex((activeNow() + step + found.length) % Math.max(found.length, 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            // From the field as it is now: Enter can come before the render of the last key typed.
            const now = e.currentTarget.value === query ? found : search(e.currentTarget.value);
            run(now[Math.min(indexRef.current, now.length - 1)]);
          }
        }}
      />
      <ul class="picker palette-list" id="palette-list" role="listbox" aria-label="Actions">
        {found.map((action, i) => (
          <li
            key={action.id}
            id={`palette-${i}`}
            role="option"
            aria-selected={i === active}
            class={`picker-item ${i === active ? 'active' : ''}`}
            data-testid="palette-item"
            onClick={() => run(action)}
            onMouseEnter={() => setIndex(i)}
          >
            <span class="muted small">{action.group}</span>
            <span>{action.label}</span>
            {action.keys && <kbd>{action.keys}</kbd>}
          </li>
        ))}
        {found.length === 0 && <li class="muted pad">Nothing matches “{query}”.</li>}
      </ul>
    </Modal>
  );
}
