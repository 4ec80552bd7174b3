// HTTP client for /api. Every failure becomes an ApiError (the server said no) or a
// NetworkError (the server could not be reached or asked us to come back later).
import type { ErrorBody } from './types';

const TIMEOUT_MS = 15_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class NetworkError extends Error {}

export interface RequestOptions {
  body?: unknown;
  ifMatch?: number;
  idempotencyKey?: string;
  text?: boolean; // the answer is text (a diff), not JSON
}

export interface Reply<T> {
  data: T;
  status: number;
  headers: Headers;
}

// A server bound beyond loopback wants a bearer token; open the UI once with ?token=… to store it.
function token(): string | null {
  try {
    const fromUrl = new URLSearchParams(location.search).get('token');
    if (fromUrl) {
      localStorage.setItem('maestro.token', fromUrl);
      history.replaceState(null, '', location.pathname + location.hash);
    }
    return localStorage.getItem('maestro.token');
  } catch {
    return null;
  }
}

export const authToken = token();

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { Accept: options.text ? 'text/*, application/json' : 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = String(options.ifMatch);
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (authToken) headers.Authorization = `Bearer ${authToken}`;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch (e) {
    throw new NetworkError(e instanceof Error ? e.message : String(e));
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (response.ok) return { data: (options.text ? text : parsed) as T, status: response.status, headers: response.headers };
  // A proxy in front of a stopped server, or the server shedding load: try again later.
  if ([502, 503, 504].includes(response.status) || (response.status >= 500 && !(parsed as Partial<ErrorBody> | undefined)?.error))
    throw new NetworkError(`HTTP ${response.status}`);
  const body = parsed as ErrorBody | undefined;
  throw new ApiError(
    response.status,
    body?.code ?? `http_${response.status}`,
    body?.message ?? (response.statusText || `HTTP ${response.status}`),
    body?.details ?? {},
  );
}

export async function get<T>(path: string): Promise<T> {
  return (await request<T>('GET', path)).data;
}

export async function getText(path: string): Promise<string> {
  return (await request<string>('GET', path, { text: true })).data;
}

// Reads every page of a list endpoint (the server caps a page at 1000 items).
export async function getAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  const join = path.includes('?') ? '&' : '?';
  for (;;) {
    const reply = await request<T[]>('GET', `${path}${join}limit=1000&offset=${items.length}`);
    items.push(...reply.data);
    const total = Number(reply.headers.get('X-Total-Count') ?? items.length);
    if (reply.data.length === 0 || items.length >= total) return items;
  }
}

export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + '_' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
