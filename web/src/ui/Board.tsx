import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useStore } from '../hooks';
import { navigate } from '../router';
import { createTask, updateTask } from '../sync/actions';
import type { ViewTask } from '../sync/queue-rules';
import { subtasksOf } from '../task-fields';
import { LIVE_SESSION_STATUSES, STATUS_LABELS, TASK_STATUSES, type Priority, type TaskStatus } from '../types';
import { onCommand, openDialog } from '../ui-state';
import { Clock, Terminal } from './icons';

function Card({
  task,
  subtasks,
  liveSessions,
  cursor,
  selected,
  onOpen,
}: {
  task: ViewTask;
  subtasks: ViewTask[];
  liveSessions: number;
  cursor: boolean;
  selected: boolean;
  onOpen: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (cursor && document.activeElement !== ref.current && !document.activeElement?.closest('input,textarea,select'))
      ref.current?.focus({ preventScroll: false });
  }, [cursor]);
  const done = subtasks.filter((t) => t.status === 'completed').length;
  return (
    <div
      ref={ref}
      class={`card priority-${task.priority} ${task.pending ? 'is-pending' : ''} ${cursor ? 'cursor' : ''} ${selected ? 'selected' : ''}`}
      tabIndex={0}
      role="button"
      draggable={!task.id.startsWith('tmp_')}
      data-testid="task-card"
      data-task-id={task.id}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          onOpen();
        }
      }}
      onDragStart={(e) => {
        e.dataTransfer!.setData('text/x-maestro-task', task.id);
        e.dataTransfer!.effectAllowed = 'move';
      }}
    >
      <div class="card-title">{task.title}</div>
      {task.status === 'blocked' && task.blockedReason && <div class="card-reason">{task.blockedReason}</div>}
      <div class="card-meta">
        {task.priority !== 'medium' && <span class={`chip chip-${task.priority}`}>{task.priority}</span>}
        {subtasks.length > 0 && (
          <span class="progress-mini" title={`${done} of ${subtasks.length} subtasks done`}>
            <span class="bar">
              <span style={{ width: `${(100 * done) / subtasks.length}%` }} />
            </span>
            {done}/{subtasks.length}
          </span>
        )}
        {liveSessions > 0 && (
          <span class="chip chip-live" title={`${liveSessions} live session(s)`}>
            <Terminal />
            {liveSessions}
          </span>
        )}
        {task.pending && (
          <span class="chip chip-pending" title="Waiting to be sent to the server">
            <Clock />
            pending
          </span>
        )}
      </div>
    </div>
  );
}

export function Board({ projectId, selectedId }: { projectId: string; selectedId?: string }) {
  const s = useStore();
  const view = s.view();
  const project = view.projects.get(projectId);
  const [filter, setFilter] = useState('');
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const [cursor, setCursorState] = useState<[number, number] | null>(null);
  // The command listener reads the cursor from a ref: `j` then `Enter` can arrive before the
  // re-render that would hand the listener the moved cursor.
  const cursorRef = useRef<[number, number] | null>(null);
  const setCursor = (next: [number, number] | null) => {
    cursorRef.current = next;
    setCursorState(next);
  };
  const [dropTarget, setDropTarget] = useState<TaskStatus | null>(null);
  const newTaskRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  const columns = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const byStatus = new Map<TaskStatus, ViewTask[]>(TASK_STATUSES.map((st) => [st, []]));
    for (const t of view.tasks.values()) {
      if (t.parentId !== null || t.projectId !== projectId) continue;
      if (needle && !`${t.title} ${t.description} ${t.blockedReason ?? ''}`.toLowerCase().includes(needle)) continue;
      byStatus.get(t.status)?.push(t);
    }
    for (const list of byStatus.values()) list.sort((a, b) => a.order - b.order || a.createdAt - b.createdAt);
    return TASK_STATUSES.map((st) => ({ status: st, tasks: byStatus.get(st)! }));
  }, [view, projectId, filter]);

  const liveByTask = useMemo(() => {
    const counts = new Map<string, number>();
    for (const session of s.sessions.values())
      if (LIVE_SESSION_STATUSES.has(session.status))
        for (const id of session.taskIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  }, [s.version]);

  const open = (id: string) => navigate({ view: 'board', projectId, taskId: id });

  useEffect(
    () =>
      onCommand((command) => {
        if (command === 'new-task') newTaskRef.current?.focus();
        else if (command === 'filter') filterRef.current?.focus();
        else if (command === 'open' && cursorRef.current) {
          const [col, row] = cursorRef.current;
          const task = columns[col]?.tasks[row];
          if (task) open(task.id);
        } else if (['next', 'prev', 'left', 'right'].includes(command)) {
          const nonEmpty = columns.map((c, i) => (c.tasks.length ? i : -1)).filter((i) => i >= 0);
          const current = cursorRef.current;
          if (!nonEmpty.length) return setCursor(null);
          if (!current) return setCursor([nonEmpty[0], 0]);
          let [col, row] = current;
          if (command === 'next') row = Math.min(row + 1, columns[col].tasks.length - 1);
          if (command === 'prev') row = Math.max(row - 1, 0);
          if (command === 'left' || command === 'right') {
            const at = nonEmpty.indexOf(col);
            const next = nonEmpty[Math.max(0, Math.min(nonEmpty.length - 1, (at < 0 ? 0 : at) + (command === 'left' ? -1 : 1)))];
            row = Math.min(row, columns[next].tasks.length - 1);
            col = next;
          }
          setCursor([col, Math.max(0, row)]);
        }
      }),
    [columns],
  );

  const drop = (status: TaskStatus, taskId: string) => {
    const task = view.tasks.get(taskId);
    if (!task || task.status === status) return;
    if (status === 'blocked') openDialog({ kind: 'block', taskId });
    else updateTask(taskId, { status }, `move “${task.title}” to ${STATUS_LABELS[status]}`);
  };

  if (!project && s.projectsLoaded)
    return (
      <div class="empty">
        <h2>Project not found</h2>
        <p class="muted">It may have been deleted.</p>
        <a class="button" href="#/">
          All projects
        </a>
      </div>
    );

  const total = columns.reduce((n, c) => n + c.tasks.length, 0);
  return (
    <section class="board-view">
      <div class="board-toolbar">
        <form
          class="new-task"
          onSubmit={(e) => {
            e.preventDefault();
            const text = title.trim();
            if (!text) return;
            createTask(projectId, text, priority);
            setTitle('');
          }}
        >
          <input
            ref={newTaskRef}
            class="input"
            data-testid="new-task"
            placeholder="New task…  (n)"
            value={title}
            maxLength={500}
            onInput={(e) => setTitle(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
          />
          <select class="select" value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)} aria-label="Priority">
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
          </select>
          <button class="button primary" type="submit" disabled={!title.trim()}>
            Add task
          </button>
        </form>
        <input
          ref={filterRef}
          class="input filter"
          type="search"
          placeholder="Filter…  (/)"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && (setFilter(''), e.currentTarget.blur())}
        />
      </div>
      {s.tasksLoaded && total === 0 && !filter && (
        <p class="hint">No tasks yet. Type a title above and press Enter — or press <kbd>?</kbd> for shortcuts.</p>
      )}
      <div class="board">
        {columns.map((column, col) => (
          <div
            key={column.status}
            class={`column status-${column.status} ${dropTarget === column.status ? 'drop' : ''}`}
            data-testid={`column-${column.status}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDropTarget(column.status);
            }}
            onDragLeave={() => setDropTarget(null)}
            onDrop={(e) => {
              e.preventDefault();
              setDropTarget(null);
              const id = e.dataTransfer?.getData('text/x-maestro-task');
              if (id) drop(column.status, id);
            }}
          >
            <div class="column-head">
              <span class={`status-dot status-${column.status}`} />
              <span>{STATUS_LABELS[column.status]}</span>
              <span class="count">{column.tasks.length}</span>
            </div>
            <div class="cards">
              {column.tasks.map((task, row) => (
                <Card
                  key={task.id}
                  task={task}
                  subtasks={subtasksOf(view.tasks, task.id)}
                  liveSessions={liveByTask.get(task.id) ?? 0}
                  cursor={cursor?.[0] === col && cursor?.[1] === row}
                  selected={task.id === selectedId}
                  onOpen={() => {
                    setCursor([col, row]);
                    open(task.id);
                  }}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
