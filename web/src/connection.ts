// The WebSocket to maestro-server: reconnects with backoff, resumes the event stream with
// `subscribe {since}` so nothing is missed, and carries terminal streams.
import { authToken } from './api';
import { nextDelay } from './backoff';
import type { ServerEvent } from './types';

// `reconnecting`: the browser has a network but the server did not answer (or closed the
// connection); `offline`: the browser itself reports no network.
export type LinkState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; since: number }
  | { status: 'reconnecting'; attempt: number; nextRetryAt: number; reason: string }
  | { status: 'offline'; attempt: number; nextRetryAt: number; reason: string };

export interface OutputMessage {
  type: 'session:output';
  sessionId: string;
  offset: number;
  data: string;
  scrollback?: boolean;
}

export interface ConnectionHandlers {
  // The stream is (re)established. `resumed` is false when the client has to reload its
  // state from scratch (first connection, or a server whose event log is behind ours).
  onReady(resumed: boolean): void;
  onEvent(event: ServerEvent): void;
  // The server no longer keeps the events since ours (`resync_required`): reload the state;
  // the stream goes on live from the server's present.
  onResync(): void;
  onOutput(message: OutputMessage): void;
  onServerError?(message: { code: string; message: string; sessionId?: string }): void;
}

const PING_EVERY_MS = 20_000;
const SILENCE_LIMIT_MS = 45_000;
const CLOSE_SLOW_CONSUMER = 4008;

type Listener = (state: LinkState) => void;

export class Connection {
  private socket: WebSocket | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private delay = 0; // the last retry delay; the next is never shorter until we connect
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private lastHeard = 0;
  private listeners = new Set<Listener>();
  private attached = new Set<string>();
  private stopped = false;
  // Between our subscribe and the server's reply, events may arrive that the replay will send
  // again, in order; taking them early would make the replay look like old news.
  private awaitingReplay = false;
  state: LinkState = { status: 'connecting', attempt: 0 };

  constructor(private readonly handlers: ConnectionHandlers) {
    addEventListener('online', () => this.retryNow());
    addEventListener('offline', () => this.abandon('the browser is offline'));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.state.status !== 'connected') this.retryNow();
    });
  }

  get seq(): number | null {
    return this.lastSeq;
  }

  get connected(): boolean {
    return this.state.status === 'connected';
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  retryNow(): void {
    if (this.stopped || this.state.status === 'connected' || this.state.status === 'connecting') return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  send(message: object): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN || this.state.status !== 'connected') return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  attach(sessionId: string): void {
    this.attached.add(sessionId);
    this.send({ type: 'session:attach', sessionId });
  }

  detach(sessionId: string): void {
    this.attached.delete(sessionId);
    this.send({ type: 'session:detach', sessionId });
  }

  private setState(state: LinkState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }

  private open(): void {
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    if (authToken) url.searchParams.set('token', authToken);
    this.setState({ status: 'connecting', attempt: this.attempt });
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (e) {
      this.scheduleRetry(String(e));
      return;
    }
    this.socket = socket;
    this.lastHeard = Date.now();
    socket.onmessage = (message) => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      this.receive(String(message.data));
    };
    socket.onclose = (close) => {
      if (socket !== this.socket) return;
      this.socket = null;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      const reason =
        close.code === CLOSE_SLOW_CONSUMER
          ? 'fell behind; resuming'
          : close.code === 1000 || close.code === 1001
            ? 'server closed the connection'
            : 'server unreachable';
      // A slow-consumer close is not a failure of the server: come straight back.
      if (close.code === CLOSE_SLOW_CONSUMER) this.attempt = this.delay = 0;
      this.scheduleRetry(reason);
    };
    socket.onerror = () => {
      /* onclose follows */
    };
  }

  // Gives up on a socket that may never report its own close (half-open TCP, network gone).
  private abandon(reason: string): void {
    const socket = this.socket;
    if (!socket || this.stopped) return;
    this.socket = null;
    clearInterval(this.pingTimer);
    socket.close();
    this.scheduleRetry(reason);
  }

  private scheduleRetry(reason: string): void {
    const attempt = this.attempt++;
    this.delay = nextDelay(this.delay, attempt, Math.random());
    const nextRetryAt = Date.now() + this.delay;
    const offline = !navigator.onLine;
    this.setState({ status: offline ? 'offline' : 'reconnecting', attempt: this.attempt, nextRetryAt, reason });
    clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.open(), this.delay);
  }

  private receive(text: string): void {
    let message: { type?: string; seq?: unknown; lastSeq?: unknown; code?: string; message?: string; sessionId?: string };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    switch (message.type) {
      case 'connected':
        this.onConnected(Number(message.lastSeq ?? 0));
        return;
      case 'subscribed':
        this.awaitingReplay = false;
        return;
      case 'resync_required':
        this.lastSeq = Number(message.lastSeq ?? 0);
        this.handlers.onResync();
        return;
      case 'pong':
        return;
      case 'session:output':
        this.handlers.onOutput(message as unknown as OutputMessage);
        return;
      case 'error':
        this.handlers.onServerError?.({ code: message.code ?? '', message: message.message ?? '', sessionId: message.sessionId });
        return;
    }
    if (typeof message.seq === 'number') {
      if (this.awaitingReplay) return; // the replay brings it
      if (this.lastSeq !== null && message.seq <= this.lastSeq) return; // already seen
      this.lastSeq = message.seq;
      this.handlers.onEvent(message as unknown as ServerEvent);
    }
  }

  private onConnected(serverSeq: number): void {
    // Resume from the last event seen; a server whose log is behind ours is a different
    // (or reset) database, so start over from its present.
    const resumed = this.lastSeq !== null && this.lastSeq <= serverSeq;
    if (!resumed) this.lastSeq = serverSeq;
    this.attempt = this.delay = 0;
    this.awaitingReplay = true;
    this.socket!.send(JSON.stringify({ type: 'subscribe', since: this.lastSeq }));
    for (const sessionId of this.attached) this.socket!.send(JSON.stringify({ type: 'session:attach', sessionId }));
    clearInterval(this.pingTimer);
    this.pingTimer = window.setInterval(() => this.heartbeat(), PING_EVERY_MS);
    this.setState({ status: 'connected', since: this.lastSeq! });
    this.handlers.onReady(resumed);
  }

  private heartbeat(): void {
    if (!this.socket) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      this.abandon('no answer from the server');
      return;
    }
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send('{"type":"ping"}');
  }
}
