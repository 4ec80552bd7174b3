import { useStore, useNow } from '../hooks';
import { ago } from '../format';
import { href, navigate } from '../router';
import { stopSession } from '../sync/actions';
import { LIVE_SESSION_STATUSES, type Session } from '../types';
import { ChangesPanel } from './Changes';
import { Stop, Terminal } from './icons';
import { LazyTerminal } from './LazyTerminal';
import { ActivityBadge } from './activity';

function SessionItem({ session, active, now }: { session: Session; active: boolean; now: number }) {
  const s = useStore();
  const task = session.taskIds.map((id) => s.tasks.get(id)).find(Boolean);
  return (
    <li>
      <a
        class={`session-item ${active ? 'active' : ''}`}
        href={href({ view: 'sessions', projectId: session.projectId, sessionId: session.id })}
        data-testid="session-item"
        data-session-id={session.id}
        data-status={session.status}
      >
        <span class={`status-dot session-${session.status}`} title={session.status} />
        <span class="session-main">
          <span class="session-name">{session.name || session.id}</span>
          <span class="muted small">
            {session.role} · {session.agent} · {ago(session.startedAt, now)}
          </span>
          {task && <span class="small session-task">{task.title}</span>}
          <ChangeCounts session={session} />
        </span>
        <span class="session-pills">
          {LIVE_SESSION_STATUSES.has(session.status) && <ActivityBadge session={session} />}
          <span class={`pill session-${session.status}`}>{session.status}</span>
        </span>
      </a>
    </li>
  );
}

// +/- of a session's branch, once its change set is known.
function ChangeCounts({ session }: { session: Session }) {
  const s = useStore();
  const changes = s.changes.get(session.id);
  if (!changes || session.worktree?.state !== 'active') return null;
  return (
    <span class="small mono" data-testid="session-change-counts">
      {changes.fileCount} files <span class="added">+{changes.additions}</span> <span class="removed">−{changes.deletions}</span>
    </span>
  );
}

export function SessionsView({ projectId, sessionId }: { projectId: string; sessionId?: string }) {
  const s = useStore();
  const now = useNow(30_000);
  const sessions = [...s.sessions.values()]
    .filter((x) => x.projectId === projectId)
    .sort(
      (a, b) =>
        Number(LIVE_SESSION_STATUSES.has(b.status)) - Number(LIVE_SESSION_STATUSES.has(a.status)) || b.startedAt - a.startedAt,
    );
  const selected = sessionId ? s.sessions.get(sessionId) : undefined;
  const live = selected ? LIVE_SESSION_STATUSES.has(selected.status) : false;
  const task = selected?.taskIds.map((id) => s.tasks.get(id)).find(Boolean);

  if (!s.sessionsSupported)
    return (
      <div class="empty">
        <Terminal />
        <h2>No sessions on this server</h2>
        <p class="muted">This maestro-server does not run agent sessions.</p>
      </div>
    );

  return (
    <section class={`sessions-view ${sessionId ? 'has-selection' : ''}`} aria-labelledby="sessions-heading">
      <aside class="session-list" aria-label="Sessions of this project">
        <div class="section-head">
          <h1 class="h3" id="sessions-heading">
            Sessions
          </h1>
          <span class="muted small">{sessions.filter((x) => LIVE_SESSION_STATUSES.has(x.status)).length} live</span>
        </div>
        {sessions.length === 0 ? (
          <p class="muted small pad">No sessions yet. Open a task and spawn a worker or an orchestrator.</p>
        ) : (
          <ul>
            {sessions.map((session) => (
              <SessionItem key={session.id} session={session} active={session.id === sessionId} now={now} />
            ))}
          </ul>
        )}
      </aside>
      <div class="terminal-area">
        {selected ? (
          <>
            <div class="terminal-head">
              <a class="back-link button small" href={href({ view: 'sessions', projectId })}>
                ← Sessions
              </a>
              <span class={`status-dot session-${selected.status}`} aria-hidden="true" />
              <strong class="session-name">{selected.name || selected.id}</strong>
              <span class={`pill session-${selected.status}`} data-testid="session-status">
                {selected.status}
              </span>
              {live && <ActivityBadge session={selected} />}
              <span class="muted small mono">
                {selected.role} · {selected.agent}
                {selected.pid ? ` · pid ${selected.pid}` : ''}
                {selected.exitCode !== null && selected.exitCode !== undefined ? ` · exit ${selected.exitCode}` : ''}
              </span>
              <div class="spacer" />
              {task && (
                <button class="button small" onClick={() => navigate({ view: 'board', projectId, taskId: task.id })}>
                  Open task
                </button>
              )}
              {live && (
                <button class="button small danger" data-testid="stop-session" onClick={() => stopSession(selected.id)}>
                  <Stop /> Stop
                </button>
              )}
            </div>
            {selected.worktree && (
              <div class="session-changes">
                <ChangesPanel key={selected.id} session={selected} headingLevel={3} />
              </div>
            )}
            <LazyTerminal key={selected.id} sessionId={selected.id} live={live} />
          </>
        ) : (
          <div class="empty">
            <Terminal />
            <p class="muted">{sessionId ? 'Session not found.' : 'Choose a session to see its terminal.'}</p>
            {sessionId && (
              <a class="back-link button small" href={href({ view: 'sessions', projectId })}>
                ← Sessions
              </a>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
