// State of the chrome (dialogs, overlays), kept apart from the data.
import { store } from './store';

export type Dialog =
  | { kind: 'block'; taskId: string }
  | { kind: 'newProject' }
  | { kind: 'projects' }
  | { kind: 'help' }
  | { kind: 'confirmDelete'; taskId: string }
  | { kind: 'spawn'; taskId: string; role: 'worker' | 'orchestrator' };

export const ui = {
  dialog: null as Dialog | null,
  queueOpen: false,
};

export function openDialog(dialog: Dialog | null): void {
  ui.dialog = dialog;
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

export function onCommand(handler: (command: Command) => void): () => void {
  const listener = (e: Event) => handler((e as CustomEvent<Command>).detail);
  addEventListener('maestro-command', listener);
  return () => removeEventListener('maestro-command', listener);
}
