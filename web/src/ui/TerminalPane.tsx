import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'preact/hooks';
import { sendInput, sendResize } from '../sync/actions';
import { connection } from '../sync/events';
import { fetchOutput, listenToOutput, onTerminalMissing } from '../sync/terminal';
import { effectiveTheme } from '../theme';
import { focusableIn } from './focus';

const encoder = new TextEncoder();
const LEAVE_WINDOW_MS = 1000;

// Moves focus to the next (or previous) focusable element outside the terminal.
function leave(terminal: HTMLElement, backwards: boolean): void {
  const all = focusableIn(document).filter((el) => !terminal.contains(el));
  const after = all.filter((el) => terminal.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  const before = all.filter((el) => terminal.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  (backwards ? (before.at(-1) ?? all.at(-1)) : (after[0] ?? all[0]))?.focus();
}

function themeColours() {
  const dark = effectiveTheme() === 'dark';
  return dark
    ? { background: '#0d1117', foreground: '#d6dde6', cursor: '#8fb3ff', selectionBackground: '#2d4a7a' }
    : { background: '#fbfcfe', foreground: '#1e2430', cursor: '#3454d1', selectionBackground: '#c9d6ff' };
}

// A live terminal on a session: scrollback first, then the stream; keystrokes go back to it.
export function TerminalPane({ sessionId, live }: { sessionId: string; live: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const liveRef = useRef(live);
  liveRef.current = live;

  useEffect(() => {
    const term = new Terminal({
      fontFamily: 'ui-monospace, "JetBrains Mono", "DejaVu Sans Mono", Menlo, monospace',
      fontSize: 13,
      lineHeight: 1.2,
      cursorBlink: true,
      convertEol: false,
      scrollback: 10_000,
      theme: themeColours(),
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current!);
    let nextOffset = 0; // bytes of output already written
    let size = { cols: 0, rows: 0 };

    const write = (offset: number, data: string) => {
      const bytes = encoder.encode(data);
      const end = offset + bytes.length;
      if (end <= nextOffset) return; // seen already (a re-attach sends scrollback again)
      term.write(offset < nextOffset ? bytes.subarray(nextOffset - offset) : bytes);
      nextOffset = end;
    };

    const stopListening = listenToOutput(sessionId, (message) => write(message.offset, message.data));
    const stopMissing = onTerminalMissing(sessionId, async () => {
      // The process has ended and the server streams it no more: show what it stored.
      try {
        const text = await fetchOutput(sessionId);
        if (nextOffset === 0 && text) write(0, text);
      } catch {
        /* nothing stored */
      }
    });
    connection.attach(sessionId);

    const fitNow = () => {
      if (!host.current || host.current.clientWidth === 0) return;
      try {
        fit.fit();
      } catch {
        return;
      }
      if (term.cols !== size.cols || term.rows !== size.rows) {
        size = { cols: term.cols, rows: term.rows };
        if (liveRef.current) sendResize(sessionId, size.cols, size.rows);
      }
    };
    let pending: number | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(pending);
      pending = window.setTimeout(fitNow, 60);
    });
    observer.observe(host.current!);
    fitNow();

    // Esc then Tab (within a second) leaves the terminal — Shift+Tab backwards — instead of
    // reaching the program: every other key, Tab and Esc included, belongs to the session.
    let escapeAt = 0;
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown') return true;
      if (e.key === 'Escape') escapeAt = Date.now();
      else if (e.key === 'Tab' && Date.now() - escapeAt < LEAVE_WINDOW_MS) {
        escapeAt = 0;
        leave(host.current!, e.shiftKey);
        e.preventDefault();
        return false;
      } else if (!['Shift', 'Control', 'Alt', 'Meta'].includes(e.key)) escapeAt = 0;
      return true;
    });

    const input = term.onData((data) => {
      if (liveRef.current) sendInput(sessionId, data);
    });
    const retheme = () => (term.options.theme = themeColours());
    addEventListener('maestro-theme', retheme);
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', retheme);
    // After a reconnect the connection re-attaches by itself; the terminal keeps its size.
    const unsubscribe = connection.subscribe((state) => {
      if (state.status === 'connected' && size.cols && liveRef.current) sendResize(sessionId, size.cols, size.rows);
    });
    term.focus();

    return () => {
      unsubscribe();
      removeEventListener('maestro-theme', retheme);
      media.removeEventListener('change', retheme);
      input.dispose();
      observer.disconnect();
      clearTimeout(pending);
      stopListening();
      stopMissing();
      connection.detach(sessionId);
      term.dispose();
    };
  }, [sessionId]);

  return (
    <div
      class="term-host"
      ref={host}
      data-testid="terminal"
      data-session-id={sessionId}
      role="group"
      aria-label="Terminal — press Esc then Tab to leave it"
    />
  );
}
