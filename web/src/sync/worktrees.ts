// A session's worktree (docs/worktrees.md): its change set, its diff, and merging or
// discarding it. The change sets also arrive live as session:changes (store.applyEvent).
import { ApiError, get, getText, request } from '../api';
import { sessionOf, store } from '../store';
import type { ChangeSet, Session } from '../types';

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export async function loadChanges(sessionId: string): Promise<ChangeSet | null> {
  try {
    const changes = await get<ChangeSet>(`${sessionPath(sessionId)}/changes`);
    store.setChanges(changes);
    return changes;
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'no_worktree' || e.code === 'worktree_removed')) return null;
    throw e;
  }
}

export function loadDiff(sessionId: string, path?: string): Promise<string> {
  const query = path === undefined ? '' : `?path=${encodeURIComponent(path)}`;
  return getText(`${sessionPath(sessionId)}/diff${query}`);
}

// Why a merge was refused, for the panel to show: the files it names.
export interface MergeRefusal {
  code: string;
  message: string;
  files: string[];
}

function refusal(e: unknown): MergeRefusal {
  if (e instanceof ApiError) {
    const files = Array.isArray(e.details.files) ? (e.details.files as string[]) : [];
    return { code: e.code, message: e.message, files };
  }
  return { code: 'network', message: (e as Error).message, files: [] };
}

async function act(
  sessionId: string,
  action: 'merge' | 'discard',
  body: Record<string, unknown>,
): Promise<MergeRefusal | null> {
  try {
    const reply = await request<{ session?: Session }>('POST', `${sessionPath(sessionId)}/${action}`, { body });
    const session = sessionOf(reply.data);
    if (session) store.upsertSession(session);
    store.changes.delete(sessionId);
    store.changed();
    return null;
  } catch (e) {
    return refusal(e);
  }
}

export function mergeSession(sessionId: string, strategy: 'merge' | 'squash', force: boolean): Promise<MergeRefusal | null> {
  return act(sessionId, 'merge', force ? { strategy, force } : { strategy });
}

export function discardSession(sessionId: string, force: boolean): Promise<MergeRefusal | null> {
  return act(sessionId, 'discard', force ? { force } : {});
}
