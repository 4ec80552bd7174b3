import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ago } from '../format';
import { useNow, useStore } from '../hooks';
import { href, navigate } from '../router';
import {
  addSubtask,
  deleteTask,
  moveSubtask,
  reorderSubtasks,
  setCompleted,
  spawnSession,
  unblockTask,
  updateTask,
} from '../sync/actions';
import { connection } from '../sync/events';
import type { ViewTask } from '../sync/queue-rules';
import { subtasksOf } from '../task-fields';
import { LIVE_SESSION_STATUSES, STATUS_LABELS, TASK_STATUSES, type Priority, type TaskStatus } from '../types';
import { onCommand, openDialog } from '../ui-state';
import { ChangesPanel } from './Changes';
import { Editable } from './Editable';
import { Close, Down, Grip, Open, Play, Trash, Up } from './icons';
import { AgentSelect, SpawnNotes, useAgentChoice } from './agents';

function SubtaskRow({
  subtask,
  index,
  count,
  onDragStart,
  onDrop,
}: {
  subtask: ViewTask;
  index: number;
  count: number;
  onDragStart: () => void;
  onDrop: () => void;
}) {
  const [editTick, setEditTick] = useState(0);
  const [over, setOver] = useState(false);
  const [agent] = useAgentChoice();
  const done = subtask.status === 'completed';
  return (
    <li
      class={`subtask ${done ? 'done' : ''} ${subtask.pending ? 'is-pending' : ''} ${over ? 'drop' : ''}`}
      data-testid="subtask"
      data-subtask-id={subtask.id}
      data-title={subtask.title}
      data-completed={String(done)}
      tabIndex={-1}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onDrop();
      }}
      onKeyDown={(e) => {
        if ((e.target as HTMLElement).tagName === 'INPUT' && (e.target as HTMLInputElement).type === 'text') return;
        if (e.altKey && e.key === 'ArrowUp') {
          e.preventDefault();
          moveSubtask(subtask.id, -1);
        } else if (e.altKey && e.key === 'ArrowDown') {
          e.preventDefault();
          moveSubtask(subtask.id, 1);
        } else if (e.key === 'Delete') {
          e.preventDefault();
          deleteTask(subtask.id);
        }
      }}
    >
      <span
        class="grip"
        draggable={!subtask.id.startsWith('tmp_')}
        onDragStart={(e) => {
          e.dataTransfer!.effectAllowed = 'move';
          e.dataTransfer!.setData('text/plain', subtask.id);
          onDragStart();
        }}
        title="Drag to reorder (or Alt+↑/↓)"
      >
        <Grip />
      </span>
      <input
        type="checkbox"
        class="check"
        checked={done}
        data-testid="subtask-check"
        aria-label={`Done: ${subtask.title}`}
        onChange={(e) => setCompleted(subtask.id, e.currentTarget.checked)}
      />
      <Editable
        class="subtask-title"
        value={subtask.title}
        label="Subtask title"
        testId="subtask-title"
        maxLength={500}
        startEditing={editTick}
        onSave={(title) => updateTask(subtask.id, { title }, `rename “${subtask.title}”`)}
      />
      {subtask.status !== 'todo' && subtask.status !== 'completed' && (
        <span class={`chip status-chip status-${subtask.status}`}>{STATUS_LABELS[subtask.status]}</span>
      )}
      {subtask.pending && <span class="chip chip-pending" title="Waiting to be sent">pending</span>}
      <span class="row-actions">
        <a
          class="icon-button small"
          href={href({ view: 'board', projectId: subtask.projectId, taskId: subtask.id })}
          title="Open this subtask"
          aria-label={`Open ${subtask.title}`}
          data-testid="subtask-open"
        >
          <Open />
        </a>
        <button class="icon-button small" title="Rename" aria-label="Rename" onClick={() => setEditTick((n) => n + 1)}>
          ✎
        </button>
        <button class="icon-button small" title="Move up (Alt+↑)" aria-label="Move up" disabled={index === 0} data-testid="subtask-up" onClick={() => moveSubtask(subtask.id, -1)}>
          <Up />
        </button>
        <button class="icon-button small" title="Move down (Alt+↓)" aria-label="Move down" disabled={index === count - 1} data-testid="subtask-down" onClick={() => moveSubtask(subtask.id, 1)}>
          <Down />
        </button>
        <button
          class="icon-button small"
          title="Run a worker on this subtask"
          aria-label="Run a worker on this subtask"
          disabled={subtask.id.startsWith('tmp_') || !connection.connected || !agent}
          onClick={async () => {
            if (!agent) return;
            const session = await spawnSession(subtask.id, 'worker', agent);
            if (session) navigate({ view: 'sessions', projectId: subtask.projectId, sessionId: session.id });
          }}
        >
          <Play />
        </button>
        <button class="icon-button small danger" title="Delete (Del)" aria-label="Delete" data-testid="subtask-delete" onClick={() => deleteTask(subtask.id)}>
          <Trash />
        </button>
      </span>
    </li>
  );
}

function Subtasks({ task }: { task: ViewTask }) {
  const s = useStore();
  const subtasks = subtasksOf(s.view().tasks, task.id);
  const [title, setTitle] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const dragging = useRef<string | null>(null);
  const done = subtasks.filter((t) => t.status === 'completed').length;

  useLayoutEffect(() => onCommand((c) => c === 'add-subtask' && inputRef.current?.focus()), []);

  const dropOn = (targetId: string) => {
    const from = dragging.current;
    dragging.current = null;
    if (!from || from === targetId) return;
    const ids = subtasks.map((t) => t.id);
    ids.splice(ids.indexOf(from), 1);
    ids.splice(ids.indexOf(targetId) + (subtasks.findIndex((t) => t.id === from) < subtasks.findIndex((t) => t.id === targetId) ? 1 : 0), 0, from);
    reorderSubtasks(task.id, ids, 'reorder subtasks');
  };

  return (
    <section class="section">
      <div class="section-head">
        <h3>Subtasks</h3>
        {subtasks.length > 0 && (
          <span class="muted small" data-testid="subtask-progress">
            {done}/{subtasks.length} done
          </span>
        )}
      </div>
      {subtasks.length > 0 && (
        <div class="progress">
          <span style={{ width: `${(100 * done) / subtasks.length}%` }} />
        </div>
      )}
      <ul class="subtasks" data-testid="subtasks">
        {subtasks.map((subtask, index) => (
          <SubtaskRow
            key={subtask.id}
            subtask={subtask}
            index={index}
            count={subtasks.length}
            onDragStart={() => (dragging.current = subtask.id)}
            onDrop={() => dropOn(subtask.id)}
          />
        ))}
      </ul>
      <form
        class="add-subtask"
        onSubmit={(e) => {
          e.preventDefault();
          const text = title.trim();
          if (!text) return;
          addSubtask(task.id, text);
          setTitle('');
        }}
      >
        <input
          ref={inputRef}
          class="input"
          data-testid="new-subtask"
          placeholder="Add a subtask…  (a)"
          value={title}
          maxLength={500}
          onInput={(e) => setTitle(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), e.currentTarget.blur())}
        />
      </form>
    </section>
  );
}

function Agents({ task }: { task: ViewTask }) {
  const s = useStore();
  const now = useNow(30_000);
  const [agent, setAgent] = useAgentChoice();
  const [busy, setBusy] = useState(false);
  const sessions = [...s.sessions.values()]
    .filter((x) => x.taskIds.includes(task.id))
    .sort((a, b) => b.startedAt - a.startedAt);
  const canSpawn = connection.connected && !task.id.startsWith('tmp_') && !busy && s.sessionsSupported && !!agent;

  const spawn = async (role: 'worker' | 'orchestrator') => {
    if (!canSpawn || !agent) return;
    setBusy(true);
    const session = await spawnSession(task.id, role, agent);
    setBusy(false);
    if (session) navigate({ view: 'sessions', projectId: task.projectId, sessionId: session.id });
  };

  // From the keyboard, a process starts only after a confirming Enter.
  useLayoutEffect(
    () =>
      onCommand((c) => {
        if (!canSpawn) return;
        if (c === 'spawn-worker') openDialog({ kind: 'spawn', taskId: task.id, role: 'worker' });
        if (c === 'spawn-orchestrator') openDialog({ kind: 'spawn', taskId: task.id, role: 'orchestrator' });
      }),
    [task.id, canSpawn],
  );

  return (
    <section class="section">
      <div class="section-head">
        <h3>Agents</h3>
      </div>
      {!s.sessionsSupported && <p class="muted small">This server does not run sessions.</p>}
      <div class="spawn">
        <label class="field inline" for="agent-profile">
          <span>Agent</span>
          <AgentSelect id="agent-profile" testId="agent" value={agent} onChange={setAgent} />
        </label>
        <button class="button" data-testid="spawn-worker" disabled={!canSpawn} onClick={() => spawn('worker')} title="Spawn a worker on this task (w)">
          <Play /> Worker
        </button>
        <button class="button" data-testid="spawn-orchestrator" disabled={!canSpawn} onClick={() => spawn('orchestrator')} title="Spawn an orchestrator that splits this task (o)">
          <Play /> Orchestrator
        </button>
      </div>
      <SpawnNotes roles={['worker', 'orchestrator']} />
      {!connection.connected && <p class="muted small">Spawning needs a live connection to the server.</p>}
      {sessions
        .filter((session) => session.worktree)
        .map((session) => (
          <ChangesPanel key={session.id} session={session} headingLevel={4} />
        ))}
      {sessions.length > 0 && (
        <ul class="session-links">
          {sessions.map((session) => (
            <li key={session.id}>
              <a href={`#/p/${encodeURIComponent(task.projectId)}/s/${encodeURIComponent(session.id)}`}>
                <span class={`status-dot session-${session.status}`} />
                <span class="session-name">{session.name || session.id}</span>
                <span class="muted small">
                  {session.role} · {session.agent} · {session.status} · {ago(session.startedAt, now)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timeline({ task }: { task: ViewTask }) {
  const now = useNow(30_000);
  const entries = [...(task.timeline ?? [])].reverse().slice(0, 30);
  if (!entries.length) return null;
  return (
    <details class="section timeline">
      <summary>
        <h3>Activity</h3>
        <span class="muted small">{task.timeline.length}</span>
      </summary>
      <ol>
        {entries.map((entry) => (
          <li key={entry.id} class={`tl-${entry.type}`}>
            <span class="tl-message">{entry.message}</span>
            <span class="muted small" title={new Date(entry.timestamp).toLocaleString()}>
              {ago(entry.timestamp, now)}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}

export function TaskDetail({ projectId, taskId }: { projectId: string; taskId: string }) {
  const s = useStore();
  const task = s.view().tasks.get(taskId);
  const [editTitle, setEditTitle] = useState(0);
  const panelRef = useRef<HTMLElement>(null);
  const close = () => navigate({ view: 'board', projectId });

  // Focus moves into the panel; when it closes, back to what opened this task (or its parent's).
  useEffect(() => {
    panelRef.current?.focus();
    return () => {
      requestAnimationFrame(() => {
        if (document.activeElement && document.activeElement !== document.body) return;
        const opener = (id: string) => document.querySelector<HTMLElement>(`[data-open-task="${CSS.escape(id)}"]`);
        const parentId = s.view().tasks.get(taskId)?.parentId;
        (opener(taskId) ?? (parentId ? opener(parentId) : null) ?? document.querySelector<HTMLElement>('#board-heading'))?.focus();
      });
    };
  }, []);

  useLayoutEffect(
    () =>
      onCommand((c) => {
        if (!task) return;
        if (c === 'edit-title') setEditTitle((n) => n + 1);
        else if (c === 'block') {
          if (task.status === 'blocked') unblockTask(task.id);
          else openDialog({ kind: 'block', taskId: task.id });
        }
        else if (c === 'complete') setCompleted(task.id, task.status !== 'completed' && task.status !== 'cancelled');
        else if (c.startsWith('status-')) setStatus(TASK_STATUSES[Number(c.slice(7)) - 1]);
      }),
    [task],
  );

  if (!task)
    return (
      <aside class="drawer" ref={panelRef} tabIndex={-1}>
        <div class="drawer-head">
          <span class="muted">{s.tasksLoaded ? 'This task no longer exists.' : 'Loading…'}</span>
          <button class="icon-button" onClick={close} aria-label="Close">
            <Close />
          </button>
        </div>
      </aside>
    );

  function setStatus(status: TaskStatus | undefined) {
    if (!task || !status || status === task.status) return;
    if (status === 'blocked') openDialog({ kind: 'block', taskId: task.id });
    else updateTask(task.id, { status }, `move “${task.title}” to ${STATUS_LABELS[status]}`);
  }

  const parent = task.parentId ? s.view().tasks.get(task.parentId) : undefined;
  return (
    <aside class="drawer" ref={panelRef} tabIndex={-1} data-testid="task-detail" data-task-id={task.id} aria-label={`Task: ${task.title}`}>
      <div class="drawer-head">
        <span class="muted small mono" title="Task id">
          {parent && (
            <>
              <a href={`#/p/${encodeURIComponent(projectId)}/t/${encodeURIComponent(parent.id)}`}>{parent.title}</a> /{' '}
            </>
          )}
          {task.id}
        </span>
        {task.pending && <span class="chip chip-pending">pending</span>}
        <div class="spacer" />
        <button class="icon-button" onClick={close} aria-label="Close (Esc)" title="Close (Esc)">
          <Close />
        </button>
      </div>
      <div class="drawer-body">
        <Editable
          class="task-title"
          value={task.title}
          label="Title"
          testId="task-title"
          maxLength={500}
          startEditing={editTitle}
          onSave={(title) => updateTask(task.id, { title }, `rename “${task.title}”`)}
        />
        <div class="task-controls">
          <label class="field inline">
            <span>Status</span>
            <select class="select" data-testid="task-status" value={task.status} onChange={(e) => setStatus(e.currentTarget.value as TaskStatus)}>
              {TASK_STATUSES.map((st) => (
                <option value={st}>{STATUS_LABELS[st]}</option>
              ))}
            </select>
          </label>
          <label class="field inline">
            <span>Priority</span>
            <select
              class="select"
              value={task.priority}
              onChange={(e) => updateTask(task.id, { priority: e.currentTarget.value as Priority }, `set priority of “${task.title}”`)}
            >
              <option value="low">Low</option>
              <option value="medium">Medium</option>
              <option value="high">High</option>
            </select>
          </label>
          <div class="spacer" />
          {task.status === 'blocked' ? (
            <button class="button" data-testid="unblock" onClick={() => unblockTask(task.id)} title="Unblock (x)">
              Unblock
            </button>
          ) : (
            <button class="button warn" data-testid="block" onClick={() => openDialog({ kind: 'block', taskId: task.id })} title="Block with a reason (x)">
              Block…
            </button>
          )}
        </div>
        {task.status === 'blocked' && (
          <div class="blocked-banner" data-testid="blocked-reason">
            <strong>Blocked</strong>
            <span>{task.blockedReason}</span>
          </div>
        )}
        <Editable
          class="description"
          value={task.description}
          multiline
          label="Description"
          placeholder="Add a description…"
          onSave={(description) => updateTask(task.id, { description }, `edit the description of “${task.title}”`)}
        />
        <Subtasks task={task} />
        <Agents task={task} />
        <Timeline task={task} />
        <div class="danger-zone">
          <button
            class="link-button danger"
            data-testid="delete-task"
            onClick={() => {
              deleteTask(task.id);
              navigate(parent ? { view: 'board', projectId, taskId: parent.id } : { view: 'board', projectId }, true);
            }}
          >
            Delete task
          </button>
          {task.sessionIds.length > 0 && (
            <span class="muted small">
              {task.sessionIds.length} session(s) ·{' '}
              {[...s.sessions.values()].filter((x) => x.taskIds.includes(task.id) && LIVE_SESSION_STATUSES.has(x.status)).length} live
            </span>
          )}
        </div>
      </div>
    </aside>
  );
}
