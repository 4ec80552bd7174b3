// Terminal output: the live chunks the connection receives, handed to the terminal showing
// that session, and the stored output of a session the server no longer streams.
import { request } from '../api';
import type { OutputMessage } from '../connection';

type OutputListener = (message: OutputMessage) => void;
const outputListeners = new Map<string, Set<OutputListener>>();
const missingListeners = new Map<string, () => void>();

export function listenToOutput(sessionId: string, listener: OutputListener): () => void {
  let set = outputListeners.get(sessionId);
  if (!set) outputListeners.set(sessionId, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) outputListeners.delete(sessionId);
  };
}

export function dispatchOutput(message: OutputMessage): void {
  for (const listener of outputListeners.get(message.sessionId) ?? []) listener(message);
}

// Called when the server cannot stream a session (it has ended): the terminal falls back to
// the stored log.
export function onTerminalMissing(sessionId: string, listener: () => void): () => void {
  missingListeners.set(sessionId, listener);
  return () => missingListeners.delete(sessionId);
}

// The server's `session_not_found` message ends with the session id.
export function terminalMissing(message: string): void {
  const match = /session (\S+)$/.exec(message);
  if (match) missingListeners.get(match[1])?.();
}

// The stored output of a session the server no longer streams (it has ended).
export async function fetchOutput(sessionId: string): Promise<string> {
  const reply = await request<unknown>('GET', `/api/sessions/${sessionId}/output?since=0`);
  const data = reply.data as { data?: unknown; output?: unknown } | string | null;
  if (typeof data === 'string') return data;
  return typeof data?.data === 'string' ? data.data : typeof data?.output === 'string' ? data.output : '';
}
