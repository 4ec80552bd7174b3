import { useEffect, useState } from 'preact/hooks';
import { useNow, useStore } from '../hooks';
import { ago } from '../format';
import { href, type Route } from '../router';
import { discardOp } from '../sync/actions';
import { connection } from '../sync/events';
import { flush } from '../sync/queue';
import { effectiveTheme, toggleTheme } from '../theme';
import { LIVE_SESSION_STATUSES } from '../types';
import { openDialog, toggleQueue, ui } from '../ui-state';
import { Chevron, Clock, Close, Command, Keyboard, Moon, Sun } from './icons';
import { InboxButton } from './Inbox';

function ConnectionBadge() {
  const s = useStore();
  const now = useNow(500);
  const link = s.link;
  let text: string;
  let title: string;
  let status: string = link.status;
  switch (link.status) {
    case 'connected':
      text = 'Connected';
      title = 'Live: changes arrive as they happen';
      break;
    case 'connecting':
      status = link.attempt > 0 ? 'reconnecting' : 'connecting';
      text = link.attempt > 0 ? 'Reconnecting…' : 'Connecting…';
      title = 'Opening the live connection';
      break;
    case 'reconnecting':
    case 'offline': {
      const secs = Math.max(0, Math.ceil((link.nextRetryAt - now) / 1000));
      const countdown = secs > 0 ? `retry in ${secs} s` : 'retrying…';
      text = link.status === 'offline' ? `Browser offline · ${countdown}` : `Server unreachable · ${countdown}`;
      title =
        (link.status === 'offline' ? 'This browser has no network.' : `Server: ${link.reason}.`) +
        ' Edits are kept and sent when it is back. Click to retry now.';
      break;
    }
  }
  return (
    <button
      class={`badge link link-${status}`}
      data-testid="connection"
      data-status={status}
      title={title}
      aria-label={`Connection: ${text}`}
      onClick={() => connection.retryNow()}
    >
      <span class="dot" />
      {text}
    </button>
  );
}

function QueuePanel() {
  const s = useStore();
  const now = useNow(5000);
  return (
    <div class="popover queue-panel" role="dialog" aria-label="Pending edits">
      <div class="popover-head">
        <strong>Waiting to be sent</strong>
        <button class="icon-button" onClick={() => toggleQueue(false)} aria-label="Close">
          <Close />
        </button>
      </div>
      <p class="muted small">
        Kept in this browser and sent in order, exactly once, as soon as the server answers.
      </p>
      <ol class="queue-list">
        {s.ops.map((op) => (
          <li key={op.id}>
            <div>
              <div class="op-label">{op.label}</div>
              <div class="muted small">
                {ago(op.createdAt, now)}
                {op.lastError ? ` · ${op.lastError}` : ''}
              </div>
            </div>
            <button class="link-button small" onClick={() => discardOp(op.id)} title="Do not send this edit">
              Discard
            </button>
          </li>
        ))}
      </ol>
      <div class="popover-foot">
        <button class="button small" onClick={() => void flush()}>
          Send now
        </button>
      </div>
    </div>
  );
}

function ThemeButton() {
  const [theme, setTheme] = useState(effectiveTheme());
  useEffect(() => {
    const update = () => setTheme(effectiveTheme());
    const media = matchMedia('(prefers-color-scheme: dark)');
    addEventListener('maestro-theme', update);
    media.addEventListener('change', update);
    return () => {
      removeEventListener('maestro-theme', update);
      media.removeEventListener('change', update);
    };
  }, []);
  return (
    <button
      class="icon-button"
      data-testid="theme-toggle"
      onClick={toggleTheme}
      title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme (t)`}
      aria-label="Toggle theme"
    >
      {theme === 'dark' ? <Sun /> : <Moon />}
    </button>
  );
}

export function Header({ route }: { route: Route }) {
  const s = useStore();
  const projects = s.view().projects;
  const projectId = route.view === 'home' ? null : s.resolveId(route.projectId);
  const project = projectId ? projects.get(projectId) : undefined;
  const live = [...s.sessions.values()].filter((x) => LIVE_SESSION_STATUSES.has(x.status)).length;
  return (
    <header class="topbar">
      <a class="brand" href="#/" title="All projects">
        <span class="logo" aria-hidden="true">
          M
        </span>
        Maestro
      </a>
      <button class="project-switch" data-testid="project-switch" onClick={() => openDialog({ kind: 'projects' })} title="Switch project (p)">
        <span class="project-name">{project?.name ?? (projectId ? 'Loading…' : 'Choose a project')}</span>
        <Chevron />
      </button>
      {projectId && (
        <nav class="tabs" aria-label="Project views">
          <a class={`tab ${route.view === 'board' ? 'active' : ''}`} href={href({ view: 'board', projectId })} title="Board (b)">
            Board
          </a>
          <a class={`tab ${route.view === 'sessions' ? 'active' : ''}`} href={href({ view: 'sessions', projectId })} title="Sessions (s)">
            Sessions
            {live > 0 && <span class="count">{live}</span>}
          </a>
        </nav>
      )}
      <div class="spacer" />
      {s.ops.length > 0 && (
        <div class="anchor">
          <button class="badge pending" data-testid="pending" data-count={s.ops.length} onClick={() => toggleQueue()}>
            <Clock />
            {s.ops.length} pending
          </button>
          {ui.queueOpen && <QueuePanel />}
        </div>
      )}
      <InboxButton />
      <ConnectionBadge />
      <ThemeButton />
      <button class="icon-button" data-testid="palette-button" onClick={() => openDialog({ kind: 'palette' })} title="Every action (Ctrl+K)" aria-label="Actions">
        <Command />
      </button>
      <button class="icon-button" onClick={() => openDialog({ kind: 'help' })} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        <Keyboard />
      </button>
    </header>
  );
}
