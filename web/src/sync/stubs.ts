// An event too large for this client's send queue arrives as a stub, {seq, type, event, id,
// truncated: true} (docs/api.md): what it is about is fetched and the event applied as if it
// had come whole. Something that no longer exists (404) is applied as its deletion.
import { ApiError } from '../api';
import type { ServerEvent } from '../types';

export function isStub(event: ServerEvent): boolean {
  return event.truncated === true;
}

// Where a stub's subject is read from; null for events the UI does not keep (skills).
// A subtask is a task, so subtask:* stubs read the task.
function sourceOf(event: ServerEvent): { kind: 'task' | 'project' | 'session'; path: string } | null {
  const id = event.id;
  if (!id) return null;
  const family = event.type.split(':')[0];
  if (family === 'task' || family === 'subtask') return { kind: 'task', path: `/api/tasks/${encodeURIComponent(id)}` };
  if (family === 'project') return { kind: 'project', path: `/api/projects/${encodeURIComponent(id)}` };
  if (family === 'session') return { kind: 'session', path: `/api/sessions/${encodeURIComponent(id)}` };
  return null;
}

// The whole event a stub stands for, read through `fetch`: `<kind>:updated` with the entity as
// it is now, `<kind>:deleted` when it is gone; null when there is nothing to apply.
export async function resolveStub(
  event: ServerEvent,
  fetch: (path: string) => Promise<unknown>,
  projectId: string | null,
): Promise<ServerEvent | null> {
  const source = sourceOf(event);
  if (!source) return null;
  const whole = (type: string, data: unknown): ServerEvent => ({ type, event: type, seq: event.seq, data, timestamp: event.timestamp });
  try {
    return whole(`${source.kind}:updated`, await fetch(source.path));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    return whole(`${source.kind}:deleted`, { id: event.id, projectId });
  }
}
