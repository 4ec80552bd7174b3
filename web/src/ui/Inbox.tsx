// The attention inbox: what needs a person in every project (GET /api/attention), with the
// count in the header. A session's item shows the end of its screen and a reply box that types
// into its terminal; any item can be dismissed. Once the person allowed it, a new item also
// raises a browser notification.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError, get, request } from '../api';
import { useNow, useStore } from '../hooks';
import { ago } from '../format';
import { href } from '../router';
import { store } from '../store';
import { loadAttention } from '../sync/loads';
import type { AttentionItem } from '../types';
import { toggleInbox, ui } from '../ui-state';
import { Bell, Close } from './icons';

const SCREEN_TAIL_LINES = 6;

const KIND_LABEL: Record<string, string> = {
  needs_input: 'needs input',
  stalled: 'stalled',
  failed: 'failed',
  blocked: 'blocked',
  review: 'to review',
};

function failure(e: unknown): string {
  return e instanceof ApiError || e instanceof NetworkError ? e.message : String(e);
}

// The last lines with text of the session's screen, fetched when the item (re)appears.
function ScreenTail({ sessionId, since }: { sessionId: string; since: number }) {
  const [lines, setLines] = useState<string[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    get<{ lines: string[] }>(`/api/sessions/${encodeURIComponent(sessionId)}/screen`)
      .then((screen) => {
        if (cancelled) return;
        const filled = screen.lines.filter((line) => line.trim() !== '');
        setLines(filled.slice(-SCREEN_TAIL_LINES));
      })
      .catch(() => !cancelled && setLines(null));
    return () => {
      cancelled = true;
    };
  }, [sessionId, since]);
  if (!lines || lines.length === 0) return null;
  return (
    <pre class="screen-tail" data-testid="inbox-screen">
      {lines.join('\n')}
    </pre>
  );
}

function Reply({ sessionId }: { sessionId: string }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const send = async (e: Event) => {
    e.preventDefault();
    setSending(true);
    try {
      // The text, then Enter as a terminal sends it.
      await request('POST', `/api/sessions/${encodeURIComponent(sessionId)}/input`, { body: { data: `${text}\r` } });
      setText('');
    } catch (err) {
      store.toast(`Could not send: ${failure(err)}`, 'error');
    } finally {
      setSending(false);
    }
  };
  return (
    <form class="inbox-reply" onSubmit={send}>
      <input
        class="input small"
        data-testid="inbox-reply"
        aria-label="Reply: typed into the session's terminal, then Enter"
        placeholder="Reply (typed into the terminal, then Enter)"
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
      />
      <button class="button small" type="submit" data-testid="inbox-send" disabled={sending}>
        Send
      </button>
    </form>
  );
}

async function dismiss(item: AttentionItem): Promise<void> {
  try {
    await request('POST', '/api/attention/dismiss', { body: { ids: [item.id] } });
    await loadAttention();
  } catch (e) {
    store.toast(`Could not dismiss: ${failure(e)}`, 'error');
  }
}

function InboxItem({ item, now }: { item: AttentionItem; now: number }) {
  const s = useStore();
  const session = item.sessionId ? s.sessions.get(item.sessionId) : undefined;
  const task = item.taskId ? s.tasks.get(item.taskId) : undefined;
  const project = s.projects.get(item.projectId);
  const link = item.sessionId
    ? href({ view: 'sessions', projectId: item.projectId, sessionId: item.sessionId })
    : href({ view: 'board', projectId: item.projectId, taskId: item.taskId ?? undefined });
  const answerable = item.sessionId && (item.kind === 'needs_input' || item.kind === 'stalled');
  return (
    <li class={`inbox-item kind-${item.kind}`} data-testid="inbox-item" data-kind={item.kind} data-item-id={item.id}>
      <div class="inbox-item-head">
        <span class={`pill attention-${item.kind}`}>{KIND_LABEL[item.kind] ?? item.kind}</span>
        <a class="inbox-subject" href={link} onClick={() => toggleInbox(false)}>
          {session?.name ?? task?.title ?? item.sessionId ?? item.taskId}
        </a>
        <span class="muted small">
          {project ? `${project.name} · ` : ''}
          {ago(item.since, now)}
        </span>
        <div class="spacer" />
        <button class="link-button small" data-testid="inbox-dismiss" onClick={() => void dismiss(item)}>
          Dismiss
        </button>
      </div>
      <div class="inbox-summary" data-testid="inbox-summary">
        {item.summary}
      </div>
      {answerable && <ScreenTail sessionId={item.sessionId!} since={item.since} />}
      {answerable && <Reply sessionId={item.sessionId!} />}
    </li>
  );
}

function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

function InboxPanel() {
  const s = useStore();
  const now = useNow(15_000);
  const items = s.attention ?? [];
  const [permission, setPermission] = useState(notificationsSupported() ? Notification.permission : 'denied');
  return (
    <div class="popover inbox-panel" role="dialog" aria-label="Needs attention" data-testid="inbox">
      <div class="popover-head">
        <strong>Needs attention</strong>
        <button class="icon-button" onClick={() => toggleInbox(false)} aria-label="Close">
          <Close />
        </button>
      </div>
      {permission === 'default' && (
        <button
          class="link-button small"
          data-testid="inbox-notify"
          onClick={() => void Notification.requestPermission().then(setPermission)}
        >
          Notify me when something needs me
        </button>
      )}
      {items.length === 0 ? (
        <p class="muted small pad">Nothing needs you.</p>
      ) : (
        <ul class="inbox-list">
          {items.map((item) => (
            <InboxItem key={item.id} item={item} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}

// Raises a browser notification for each item that appears after the first load, when allowed.
function useNotifications(items: AttentionItem[] | null): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!items) return;
    const first = seen.current === null;
    const known = seen.current ?? new Set<string>();
    for (const item of items) {
      if (known.has(item.id)) continue;
      known.add(item.id);
      if (!first && notificationsSupported() && Notification.permission === 'granted')
        new Notification(`Maestro: ${KIND_LABEL[item.kind] ?? item.kind}`, { body: item.summary, tag: item.id });
    }
    seen.current = known;
  }, [items]);
}

export function InboxButton() {
  const s = useStore();
  useNotifications(s.attention);
  if (s.attention === null) return null;
  const count = s.attention.length;
  return (
    <div class="anchor">
      <button
        class={`badge inbox ${count > 0 ? 'has-items' : ''}`}
        data-testid="inbox-button"
        data-count={count}
        title="Needs attention"
        aria-label={`Needs attention: ${count}`}
        onClick={() => toggleInbox()}
      >
        <Bell />
        {count}
      </button>
      {ui.inboxOpen && <InboxPanel />}
    </div>
  );
}
