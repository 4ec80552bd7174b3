// The terminal, loaded on first use: xterm.js is most of the UI's code, and the board never
// needs it.
import { useEffect, useState } from 'preact/hooks';
import type { TerminalPane } from './TerminalPane';

type Pane = typeof TerminalPane;
let loaded: Pane | null = null;

export function LazyTerminal(props: { sessionId: string; live: boolean }) {
  const [Pane, setPane] = useState<Pane | null>(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Pane) return;
    let cancelled = false;
    import('./TerminalPane')
      .then((module) => {
        loaded = module.TerminalPane;
        if (!cancelled) setPane(() => module.TerminalPane);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [Pane]);
  if (Pane) return <Pane {...props} />;
  return (
    <div class="term-host term-loading" data-testid="terminal-loading" role="status">
      {failed ? 'The terminal could not be loaded; reload the page to try again.' : 'Loading the terminal…'}
    </div>
  );
}
