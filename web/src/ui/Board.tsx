import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { AGENT_STATE_LABELS, byManualOrder, byPriority, taskAgentState, type AgentState } from '../board-rules';
import { ago } from '../format';
import { useNow, useStore } from '../hooks';
import { href, navigate } from '../router';
import { createTask, moveInColumn, updateTask } from '../sync/actions';
import type { ViewTask } from '../sync/queue-rules';
import { store } from '../store';
import { subtasksOf } from '../task-fields';
import { STATUS_LABELS, TASK_STATUSES, type Priority, type Session, type TaskStatus } from '../types';
import { onCommand, openDialog, setBoardPreference, ui, type BoardView } from '../ui-state';
import { Clock, Terminal } from './icons';

const PRIORITIES: Priority[] = ['high', 'medium', 'low'];
const PRIORITY_LABELS: Record<Priority, string> = { high: 'High', medium: 'Medium', low: 'Low' };

function AgentChip({ state }: { state: AgentState | null }) {
  if (!state) return null;
  return (
    <span class={`chip agent-state agent-${state}`} data-testid="agent-state" data-state={state} title={`Agent: ${AGENT_STATE_LABELS[state]}`}>
      <Terminal />
      {AGENT_STATE_LABELS[state]}
    </span>
  );
}

// Another live session changes the same files as one of this task's.
function OverlapChip({ taskId }: { taskId: string }) {
  const overlaps = store.overlapsOfTask(taskId);
  if (!overlaps.length) return null;
  const paths = [...new Set(overlaps.flatMap((o) => o.paths))];
  return (
    <span class="chip chip-overlap" data-testid="overlap-badge" title={`Another session changes the same files: ${paths.join(', ')}`}>
      overlap
    </span>
  );
}

function Card({
  task,
  subtasks,
  agentState,
  cursor,
  selected,
  dropBefore,
  onOpen,
  onKeyMove,
  onDragStart,
  onDragOverCard,
  onDropOnCard,
}: {
  task: ViewTask;
  subtasks: ViewTask[];
  agentState: AgentState | null;
  cursor: boolean;
  selected: boolean;
  dropBefore: boolean | null;
  onOpen: () => void;
  onKeyMove: (key: 'up' | 'down' | 'left' | 'right') => void;
  onDragStart: () => void;
  onDragOverCard: (before: boolean) => void;
  onDropOnCard: (before: boolean) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (cursor && document.activeElement !== ref.current && !document.activeElement?.closest('input,textarea,select,[role=dialog]'))
      ref.current?.focus({ preventScroll: false });
  }, [cursor]);
  const done = subtasks.filter((t) => t.status === 'completed').length;
  const before = (e: DragEvent) => {
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return e.clientY < box.top + box.height / 2;
  };
  return (
    <div
      ref={ref}
      class={`card priority-${task.priority} ${task.pending ? 'is-pending' : ''} ${cursor ? 'cursor' : ''} ${selected ? 'selected' : ''} ${
        dropBefore === null ? '' : dropBefore ? 'drop-before' : 'drop-after'
      }`}
      tabIndex={0}
      role="button"
      aria-current={selected ? 'true' : undefined}
      aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight"
      draggable={!task.id.startsWith('tmp_')}
      data-testid="task-card"
      data-task-id={task.id}
      data-open-task={task.id}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          onOpen();
        } else if (e.altKey && e.key.startsWith('Arrow')) {
          e.preventDefault();
          e.stopPropagation();
          onKeyMove(({ ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' } as const)[e.key as 'ArrowUp']);
        }
      }}
      onDragStart={(e) => {
        e.dataTransfer!.setData('text/x-maestro-task', task.id);
        e.dataTransfer!.effectAllowed = 'move';
        onDragStart();
      }}
      onDragOver={(e) => onDragOverCard(before(e))}
      onDrop={(e) => onDropOnCard(before(e))}
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
        <AgentChip state={agentState} />
        <OverlapChip taskId={task.id} />
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

type Column = { status: TaskStatus; tasks: ViewTask[] };

function Columns({
  columns,
  projectId,
  selectedId,
  agentStateOf,
  subtasksOfTask,
}: {
  columns: Column[];
  projectId: string;
  selectedId?: string;
  agentStateOf: (id: string) => AgentState | null;
  subtasksOfTask: (id: string) => ViewTask[];
}) {
  const s = useStore();
  const view = s.view();
  const manual = ui.sortBy === 'manual';
  const [cursor, setCursorState] = useState<[number, number] | null>(null);
  // The command listener reads the cursor from a ref: `j` then `Enter` can arrive before the
  // re-render that would hand the listener the moved cursor.
  const cursorRef = useRef<[number, number] | null>(null);
  const setCursor = (next: [number, number] | null) => {
    cursorRef.current = next;
    setCursorState(next);
  };
  const [dropColumn, setDropColumn] = useState<TaskStatus | null>(null);
  const [dropCard, setDropCard] = useState<{ id: string; before: boolean } | null>(null);
  const dragging = useRef<string | null>(null);

  const open = (id: string) => navigate({ view: 'board', projectId, taskId: id });

  useLayoutEffect(
    () =>
      onCommand((command) => {
        if (command === 'open' && cursorRef.current) {
          const [col, row] = cursorRef.current;
          const task = columns[col]?.tasks[row];
          if (task) open(task.id);
        } else if (command === 'next' || command === 'prev' || command === 'left' || command === 'right') {
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

  const changeStatus = (status: TaskStatus, taskId: string) => {
    const task = view.tasks.get(taskId);
    if (!task || task.status === status) return;
    if (status === 'blocked') openDialog({ kind: 'block', taskId });
    else updateTask(taskId, { status }, `move “${task.title}” to ${STATUS_LABELS[status]}`);
  };

  const moveWithin = (col: number, id: string, toIndex: number) => {
    moveInColumn([...columns[col].tasks].sort(byManualOrder), id, toIndex);
    setCursor([col, Math.max(0, Math.min(columns[col].tasks.length - 1, toIndex))]);
  };

  const endDrag = () => {
    dragging.current = null;
    setDropColumn(null);
    setDropCard(null);
  };

  return (
    <div class="board" data-testid="board">
      {columns.map((column, col) => (
        <section
          key={column.status}
          class={`column status-${column.status} ${dropColumn === column.status ? 'drop' : ''}`}
          data-testid={`column-${column.status}`}
          aria-labelledby={`column-${column.status}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDropColumn(column.status);
          }}
          onDragLeave={(e) => {
            if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node)) setDropColumn(null);
          }}
          onDrop={(e) => {
            e.preventDefault();
            const id = e.dataTransfer?.getData('text/x-maestro-task') || dragging.current;
            endDrag();
            if (id) changeStatus(column.status, id);
          }}
        >
          <h2 class="column-head" id={`column-${column.status}`}>
            <span class={`status-dot status-${column.status}`} aria-hidden="true" />
            <span>{STATUS_LABELS[column.status]}</span>
            <span class="count" aria-label={`${column.tasks.length} tasks`}>
              {column.tasks.length}
            </span>
          </h2>
          <ul class="cards" role="list">
            {column.tasks.map((task, row) => (
              <li key={task.id}>
                <Card
                  task={task}
                  subtasks={subtasksOfTask(task.id)}
                  agentState={agentStateOf(task.id)}
                  cursor={cursor?.[0] === col && cursor?.[1] === row}
                  selected={task.id === selectedId}
                  dropBefore={dropCard?.id === task.id ? dropCard.before : null}
                  onOpen={() => {
                    setCursor([col, row]);
                    open(task.id);
                  }}
                  onKeyMove={(key) => {
                    setCursor([col, row]);
                    if (key === 'left' || key === 'right') {
                      const next = TASK_STATUSES[TASK_STATUSES.indexOf(column.status) + (key === 'left' ? -1 : 1)];
                      if (next) changeStatus(next, task.id);
                    } else if (!manual) {
                      s.toast('Cards keep their priority order; choose “Manual order” to move them.');
                    } else {
                      moveWithin(col, task.id, row + (key === 'up' ? -1 : 1));
                    }
                  }}
                  onDragStart={() => (dragging.current = task.id)}
                  onDragOverCard={(before) => {
                    const from = dragging.current && view.tasks.get(dragging.current);
                    if (manual && from && from.status === column.status && from.id !== task.id) setDropCard({ id: task.id, before });
                    else setDropCard(null);
                  }}
                  onDropOnCard={(before) => {
                    const id = dragging.current;
                    const from = id && view.tasks.get(id);
                    if (!manual || !from || from.status !== column.status || id === task.id) return; // the column's drop handles it
                    endDrag();
                    const ordered = [...column.tasks].sort(byManualOrder);
                    const fromIndex = ordered.findIndex((t) => t.id === id);
                    let to = ordered.findIndex((t) => t.id === task.id) + (before ? 0 : 1);
                    if (fromIndex < to) to--;
                    moveInColumn(ordered, id, to);
                  }}
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function ListView({
  tasks,
  agentStateOf,
  subtasksOfTask,
}: {
  tasks: ViewTask[];
  agentStateOf: (id: string) => AgentState | null;
  subtasksOfTask: (id: string) => ViewTask[];
}) {
  const now = useNow(30_000);
  const groups: { key: string; label: string; tasks: ViewTask[] }[] =
    ui.groupBy === 'status'
      ? TASK_STATUSES.map((st) => ({ key: st, label: STATUS_LABELS[st], tasks: tasks.filter((t) => t.status === st) }))
      : PRIORITIES.map((p) => ({ key: p, label: `${PRIORITY_LABELS[p]} priority`, tasks: tasks.filter((t) => t.priority === p) }));
  return (
    <div class="list-view" data-testid="list-view">
      <table class="task-table">
        <caption class="sr-only">Tasks grouped by {ui.groupBy}</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Subtasks</th>
            <th scope="col">Agent</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        {groups
          .filter((g) => g.tasks.length > 0)
          .map((group) => (
            <tbody key={group.key} data-testid={`group-${group.key}`}>
              <tr class="group-row">
                <th scope="colgroup" colSpan={6}>
                  {group.label} <span class="count">{group.tasks.length}</span>
                </th>
              </tr>
              {group.tasks.map((task) => {
                const subtasks = subtasksOfTask(task.id);
                return (
                  <tr key={task.id} class={task.pending ? 'is-pending' : ''} data-testid="task-row" data-task-id={task.id}>
                    <td class="title-cell">
                      <a href={href({ view: 'board', projectId: task.projectId, taskId: task.id })} data-open-task={task.id}>
                        {task.title}
                      </a>
                    </td>
                    <td>
                      <span class={`status-dot status-${task.status}`} aria-hidden="true" /> {STATUS_LABELS[task.status]}
                    </td>
                    <td>{PRIORITY_LABELS[task.priority]}</td>
                    <td>{subtasks.length ? `${subtasks.filter((t) => t.status === 'completed').length}/${subtasks.length}` : '—'}</td>
                    <td>
                      <AgentChip state={agentStateOf(task.id)} />
                    </td>
                    <td class="muted">{ago(task.updatedAt, now)}</td>
                  </tr>
                );
              })}
            </tbody>
          ))}
      </table>
    </div>
  );
}

function TreeNode({ task, childrenOf, agentStateOf }: { task: ViewTask; childrenOf: (id: string) => ViewTask[]; agentStateOf: (id: string) => AgentState | null }) {
  const children = childrenOf(task.id);
  return (
    <li data-testid="tree-node" data-task-id={task.id}>
      <div class="tree-row">
        <span class={`status-dot status-${task.status}`} aria-hidden="true" />
        <a href={href({ view: 'board', projectId: task.projectId, taskId: task.id })} data-open-task={task.id} class={task.status === 'completed' ? 'done' : ''}>
          {task.title}
        </a>
        <span class="muted small">{STATUS_LABELS[task.status]}</span>
        {task.priority !== 'medium' && <span class={`chip chip-${task.priority}`}>{task.priority}</span>}
        <AgentChip state={agentStateOf(task.id)} />
      </div>
      {children.length > 0 && (
        <ul role="list">
          {children.map((child) => (
            <TreeNode key={child.id} task={child} childrenOf={childrenOf} agentStateOf={agentStateOf} />
          ))}
        </ul>
      )}
    </li>
  );
}

const VIEWS: { id: BoardView; label: string }[] = [
  { id: 'board', label: 'Board' },
  { id: 'list', label: 'List' },
  { id: 'tree', label: 'Tree' },
];

export function Board({ projectId, selectedId }: { projectId: string; selectedId?: string }) {
  const s = useStore();
  const view = s.view();
  const project = view.projects.get(projectId);
  const [filter, setFilter] = useState('');
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const newTaskRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  const topLevel = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matches = (t: ViewTask) => `${t.title} ${t.description} ${t.blockedReason ?? ''}`.toLowerCase().includes(needle);
    const list = [...view.tasks.values()].filter(
      (t) => t.parentId === null && t.projectId === projectId && (!needle || matches(t) || subtasksOf(view.tasks, t.id).some(matches)),
    );
    return list.sort(ui.sortBy === 'priority' ? byPriority : byManualOrder);
  }, [view, projectId, filter, ui.sortBy]);

  const columns = useMemo(
    () => TASK_STATUSES.map((status) => ({ status, tasks: topLevel.filter((t) => t.status === status) })),
    [topLevel],
  );

  const sessionsByTask = useMemo(() => {
    const map = new Map<string, Session[]>();
    for (const session of s.sessions.values())
      for (const id of session.taskIds) map.set(id, [...(map.get(id) ?? []), session]);
    return map;
  }, [s.version]);
  const agentStateOf = (id: string) => taskAgentState(sessionsByTask.get(id) ?? []);
  const subtasksOfTask = (id: string) => subtasksOf(view.tasks, id);

  useLayoutEffect(
    () =>
      onCommand((command) => {
        if (command === 'new-task') newTaskRef.current?.focus();
        else if (command === 'filter') filterRef.current?.focus();
      }),
    [],
  );

  if (!project && s.projectsLoaded)
    return (
      <div class="empty">
        <h1>Project not found</h1>
        <p class="muted">It may have been deleted.</p>
        <a class="button" href="#/">
          All projects
        </a>
      </div>
    );

  const boardView = ui.boardView;
  return (
    <section class="board-view" aria-labelledby="board-heading">
      <h1 class="sr-only" id="board-heading" tabIndex={-1}>
        {project?.name ?? 'Project'} — tasks
      </h1>
      <div class="board-toolbar">
        <form
          class="new-task"
          aria-label="New task"
          onSubmit={(e) => {
            e.preventDefault();
            const text = title.trim();
            if (!text) return;
            createTask(projectId, text, priority);
            setTitle('');
          }}
        >
          <label class="sr-only" for="new-task-title">
            New task title
          </label>
          <input
            ref={newTaskRef}
            id="new-task-title"
            class="input"
            data-testid="new-task"
            placeholder="New task…  (n)"
            value={title}
            maxLength={500}
            onInput={(e) => setTitle(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
          />
          <label class="sr-only" for="new-task-priority">
            Priority of the new task
          </label>
          <select id="new-task-priority" class="select" value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)}>
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
          </select>
          <button class="button primary" type="submit" disabled={!title.trim()}>
            Add task
          </button>
        </form>
        <div class="board-controls">
          <label class="sr-only" for="board-filter">
            Filter tasks
          </label>
          <input
            ref={filterRef}
            id="board-filter"
            class="input filter"
            type="search"
            data-testid="filter"
            placeholder="Filter…  (/)"
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Escape' && (setFilter(''), e.currentTarget.blur())}
          />
          <div class="segmented" role="group" aria-label="View">
            {VIEWS.map((v) => (
              <button
                key={v.id}
                class={`segment ${boardView === v.id ? 'active' : ''}`}
                aria-pressed={boardView === v.id}
                data-testid={`view-${v.id}`}
                onClick={() => setBoardPreference({ boardView: v.id })}
              >
                {v.label}
              </button>
            ))}
          </div>
          {boardView === 'list' ? (
            <select
              class="select"
              aria-label="Group by"
              data-testid="group-by"
              value={ui.groupBy}
              onChange={(e) => setBoardPreference({ groupBy: e.currentTarget.value as 'status' | 'priority' })}
            >
              <option value="status">Group by status</option>
              <option value="priority">Group by priority</option>
            </select>
          ) : null}
          {boardView !== 'tree' && (
            <select
              class="select"
              aria-label="Sort"
              data-testid="sort-by"
              value={ui.sortBy}
              onChange={(e) => setBoardPreference({ sortBy: e.currentTarget.value as 'manual' | 'priority' })}
            >
              <option value="manual">Manual order</option>
              <option value="priority">By priority</option>
            </select>
          )}
        </div>
      </div>
      {s.tasksLoaded && topLevel.length === 0 && !filter && (
        <p class="hint">
          No tasks yet. Type a title above and press Enter — or press <kbd>?</kbd> for shortcuts, <kbd>Ctrl K</kbd> for every action.
        </p>
      )}
      {boardView === 'board' && (
        <Columns columns={columns} projectId={projectId} selectedId={selectedId} agentStateOf={agentStateOf} subtasksOfTask={subtasksOfTask} />
      )}
      {boardView === 'list' && <ListView tasks={topLevel} agentStateOf={agentStateOf} subtasksOfTask={subtasksOfTask} />}
      {boardView === 'tree' && (
        <div class="tree-view" data-testid="tree-view">
          <ul class="tree" role="list" aria-label="Tasks and their subtasks">
            {topLevel.map((task) => (
              <TreeNode key={task.id} task={task} childrenOf={subtasksOfTask} agentStateOf={agentStateOf} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
