// State of the chrome (dialogs, overlays), kept apart from the data.
import { store } from './store';

export type Dialog =
  | { kind: 'block'; taskId: string }
  | { kind: 'newProject' }
  | { kind: 'projects' }
  | { kind: 'help' }
  | { kind: 'palette' }
  | { kind: 'spawn'; taskId: string; role: 'worker' | 'orchestrator' };

// How the board shows a project's tasks; remembered in the browser.
export type BoardView = 'board' | 'list' | 'tree';
export type SortBy = 'manual' | 'priority';
export type GroupBy = 'status' | 'priority';

function remembered<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const value = localStorage.getItem(key) as T | null;
    return value && allowed.includes(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export const ui = {
  dialog: null as Dialog | null,
  queueOpen: false,
  inboxOpen: false,
  boardView: remembered<BoardView>('maestro.boardView', ['board', 'list', 'tree'], 'board'),
  sortBy: remembered<SortBy>('maestro.sortBy', ['manual', 'priority'], 'manual'),
  groupBy: remembered<GroupBy>('maestro.groupBy', ['status', 'priority'], 'status'),
};

export function setBoardPreference(
  change: Partial<{ boardView: BoardView; sortBy: SortBy; groupBy: GroupBy }>,
): void {
  Object.assign(ui, change);
  try {
    for (const [key, value] of Object.entries(change)) localStorage.setItem(`maestro.${key}`, value);
  } catch {
    /* storage disabled: the choice lasts until the page is reloaded */
  }
  store.changed();
}

export function openDialog(dialog: Dialog | null): void {
  ui.dialog = dialog;
  store.changed();
}

export function toggleInbox(open = !ui.inboxOpen): void {
  ui.inboxOpen = open;
  store.changed();
}

export function toggleQueue(open = !ui.queueOpen): void {
  ui.queueOpen = open;
  store.changed();
}

// Commands sent by keyboard shortcuts to whichever view handles them.
export type Command =
  | 'new-task'
  | 'filter'
  | 'add-subtask'
  | 'edit-title'
  | 'block'
  | 'complete'
  | 'spawn-worker'
  | 'spawn-orchestrator'
  | 'next'
  | 'prev'
  | 'left'
  | 'right'
  | 'open'
  | `status-${number}`;

export function sendCommand(command: Command): void {
  dispatchEvent(new CustomEvent<Command>('maestro-command', { detail: command }));
}

// Subscribe from useLayoutEffect, not useEffect: a key pressed right after a view appears must
// find its listener already there (useEffect runs only after the browser has painted).
export function onCommand(handler: (command: Command) => void): () => void {
  const listener = (e: Event) => handler((e as CustomEvent<Command>).detail);
  addEventListener('maestro-command', listener);
  return () => removeEventListener('maestro-command', listener);
}
