import { useRef, useState } from 'preact/hooks';
import { useStore } from '../hooks';
import { navigate, type Route } from '../router';
import { blockTask, createProject, spawnSession } from '../sync/actions';
import { Modal } from './Modal';
import { Palette } from './Palette';
import { AgentSelect, SpawnNotes, useAgentChoice } from './agents';
import { openDialog, ui } from '../ui-state';

function BlockDialog({ taskId }: { taskId: string }) {
  const s = useStore();
  const task = s.view().tasks.get(taskId);
  const [reason, setReason] = useState(task?.blockedReason ?? '');
  const field = useRef<HTMLTextAreaElement>(null);
  const submit = () => {
    // From the field as it is now: Enter can come before the render of the last key typed.
    const text = (field.current?.value ?? reason).trim();
    if (!text) return;
    blockTask(taskId, text);
    openDialog(null);
  };
  return (
    <Modal title={`Block “${task?.title ?? ''}”`} testId="block-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label class="field">
          <span>What is it waiting for?</span>
          <textarea
            class="input"
            rows={3}
            data-testid="block-reason"
            ref={field}
            value={reason}
            maxLength={4096}
            placeholder="e.g. Needs the staging credentials from ops"
            onInput={(e) => setReason(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                submit();
              }
            }}
          />
        </label>
        <div class="modal-foot">
          <button type="button" class="button" onClick={() => openDialog(null)}>
            Cancel
          </button>
          <button type="submit" class="button warn" data-testid="block-confirm" disabled={!reason.trim()}>
            Block task
          </button>
        </div>
      </form>
    </Modal>
  );
}

function NewProjectDialog() {
  const [name, setName] = useState('');
  const [dir, setDir] = useState('');
  const [description, setDescription] = useState('');
  const form = useRef<HTMLFormElement>(null);
  return (
    <Modal title="New project" testId="new-project-dialog">
      <form
        ref={form}
        onSubmit={(e) => {
          e.preventDefault();
          // From the fields as they are now: Enter can come before the render of the last key
          // typed.
          const now = (field: string) => (form.current?.elements.namedItem(field) as HTMLInputElement | null)?.value.trim() ?? '';
          const [nameNow, dirNow, descriptionNow] = [now('name'), now('workingDir'), now('description')];
          if (!nameNow) return;
          const id = createProject(nameNow, dirNow, descriptionNow);
          openDialog(null);
          navigate({ view: 'board', projectId: id });
        }}
      >
        <label class="field">
          <span>Name</span>
          <input class="input" data-testid="project-name" name="name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} autofocus />
        </label>
        <label class="field">
          <span>Working directory</span>
          <input class="input mono" data-testid="project-dir" name="workingDir" value={dir} placeholder="/home/me/src/app" onInput={(e) => setDir(e.currentTarget.value)} />
          <small class="muted">Where agents of this project run.</small>
        </label>
        <label class="field">
          <span>Description</span>
          <textarea class="input" rows={2} name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <div class="modal-foot">
          <button type="button" class="button" onClick={() => openDialog(null)}>
            Cancel
          </button>
          <button type="submit" class="button primary" data-testid="project-create" disabled={!name.trim()}>
            Create project
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ProjectPicker() {
  const s = useStore();
  const [filter, setFilter] = useState('');
  const [index, setIndexState] = useState(0);
  // Enter reads the index from a ref: it can arrive before the re-render after an arrow key.
  const indexRef = useRef(0);
  const setIndex = (next: number | ((i: number) => number)) => {
    indexRef.current = typeof next === 'function' ? next(indexRef.current) : next;
    setIndexState(indexRef.current);
  };
  const projects = [...s.view().projects.values()]
    .filter((p) => p.name.toLowerCase().includes(filter.trim().toLowerCase()))
    .sort((a, b) => a.name.localeCompare(b.name));
  const choose = (id: string) => {
    openDialog(null);
    navigate({ view: 'board', projectId: id });
  };
  return (
    <Modal title="Switch project" testId="project-picker">
      <input
        class="input"
        aria-label="Find a project"
        placeholder="Find a project…"
        value={filter}
        onInput={(e) => {
          setFilter(e.currentTarget.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setIndex((i) => Math.min(i + 1, projects.length));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (indexRef.current < projects.length) choose(projects[indexRef.current].id);
            else openDialog({ kind: 'newProject' });
          }
        }}
      />
      <ul class="picker">
        {projects.map((p, i) => (
          <li key={p.id}>
            <button class={`picker-item ${i === index ? 'active' : ''}`} onClick={() => choose(p.id)} onMouseEnter={() => setIndex(i)}>
              <strong>{p.name}</strong>
              <span class="muted small mono">{p.workingDir}</span>
            </button>
          </li>
        ))}
        <li>
          <button
            class={`picker-item ${index === projects.length ? 'active' : ''}`}
            data-testid="picker-new-project"
            onClick={() => openDialog({ kind: 'newProject' })}
            onMouseEnter={() => setIndex(projects.length)}
          >
            <strong>+ New project…</strong>
          </button>
        </li>
      </ul>
    </Modal>
  );
}

const SHORTCUTS: [string, string[][]][] = [
  [
    'Anywhere',
    [
      ['?', 'Show this help'],
      ['Ctrl+K', 'Every action, by name'],
      ['p', 'Switch project'],
      ['b', 'Board'],
      ['s', 'Sessions'],
      ['t', 'Light / dark theme'],
      ['Esc', 'Close a dialog or the task panel'],
    ],
  ],
  [
    'Board',
    [
      ['n', 'New task'],
      ['/', 'Filter tasks'],
      ['j k  ↓ ↑', 'Next / previous task in a column'],
      ['h l  ← →', 'Previous / next column'],
      ['Enter', 'Open the task'],
      ['Alt+↑ Alt+↓', 'Move the card within its column'],
      ['Alt+← Alt+→', 'Move the card to the previous / next column'],
    ],
  ],
  [
    'Open task',
    [
      ['e', 'Edit the title'],
      ['a', 'Add a subtask'],
      ['x', 'Block (asks for a reason) / unblock'],
      ['c', 'Complete / reopen (to the status it had)'],
      ['1 … 5', 'To do, in progress, blocked, completed, cancelled'],
      ['w', 'Spawn a worker (Enter confirms)'],
      ['o', 'Spawn an orchestrator (Enter confirms)'],
    ],
  ],
  [
    'Subtask (focused)',
    [
      ['Space', 'Check / uncheck'],
      ['Enter', 'Rename (on the title)'],
      ['Alt+↑ Alt+↓', 'Move up / down'],
      ['Del', 'Delete'],
    ],
  ],
  [
    'Terminal',
    [
      ['Esc  Tab', 'Leave the terminal (Shift+Tab: backwards)'],
    ],
  ],
];

function Help() {
  return (
    <Modal title="Keyboard shortcuts" wide testId="help">
      <div class="help-grid">
        {SHORTCUTS.map(([group, rows]) => (
          <section key={group}>
            <h3>{group}</h3>
            <table>
              <tbody>
                {rows.map(([keys, what]) => (
                  <tr key={keys}>
                    <td>
                      {keys.split('  ').map((k) => (
                        <kbd>{k}</kbd>
                      ))}
                    </td>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <p class="muted small">In a terminal every key goes to the session, except Tab right after Esc, which leaves it.</p>
    </Modal>
  );
}

function SpawnDialog({ taskId, role }: { taskId: string; role: 'worker' | 'orchestrator' }) {
  const s = useStore();
  const task = s.view().tasks.get(taskId);
  const [agent, setAgent] = useAgentChoice();
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={`Spawn ${role === 'worker' ? 'a worker' : 'an orchestrator'}`} testId="spawn-dialog">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (busy || !task || !agent) return;
          setBusy(true);
          const session = await spawnSession(task.id, role, agent);
          openDialog(null);
          if (session) navigate({ view: 'sessions', projectId: task.projectId, sessionId: session.id });
        }}
      >
        <p>
          On “{task?.title}”. {role === 'orchestrator' ? 'It plans subtasks and spawns workers for them.' : 'It works the task and reports back.'}
        </p>
        <label class="field" for="spawn-agent">
          <span>Agent profile</span>
          <AgentSelect id="spawn-agent" testId="spawn-agent" value={agent} onChange={setAgent} />
        </label>
        <SpawnNotes roles={[role]} />
        <div class="modal-foot">
          <button type="button" class="button" onClick={() => openDialog(null)}>
            Cancel
          </button>
          <button type="submit" class="button primary" data-testid="spawn-start" disabled={busy || !agent}>
            Start
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function Dialogs({ route }: { route: Route }) {
  useStore();
  const d = ui.dialog;
  if (!d) return null;
  switch (d.kind) {
    case 'block':
      return <BlockDialog taskId={d.taskId} />;
    case 'newProject':
      return <NewProjectDialog />;
    case 'projects':
      return <ProjectPicker />;
    case 'help':
      return <Help />;
    case 'palette':
      return <Palette route={route} />;
    case 'spawn':
      return <SpawnDialog taskId={d.taskId} role={d.role} />;
  }
}
