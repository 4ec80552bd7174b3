// A session's diff (of one file, or all), fetched and shown by the diff viewer, which is
// loaded only when a diff is first opened: the board's first load never carries it.
import { useEffect, useState } from 'preact/hooks';
import { loadDiff } from '../sync/worktrees';
import type { DiffView } from './DiffView';

type Viewer = typeof DiffView;
let loaded: Viewer | null = null;

export function LazyDiff({ sessionId, path, version }: { sessionId: string; path?: string; version: string }) {
  const [Viewer, setViewer] = useState<Viewer | null>(() => loaded);
  const [diff, setDiff] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (Viewer) return;
    let cancelled = false;
    import('./DiffView')
      .then((module) => {
        loaded = module.DiffView;
        if (!cancelled) setViewer(() => module.DiffView);
      })
      .catch(() => !cancelled && setError('The diff viewer could not be loaded; reload the page to try again.'));
    return () => {
      cancelled = true;
    };
  }, [Viewer]);
  // The diff again whenever the change set moves (`version`).
  useEffect(() => {
    let cancelled = false;
    loadDiff(sessionId, path)
      .then((text) => !cancelled && (setDiff(text), setError(null)))
      .catch((e: Error) => !cancelled && setError(`Could not load the diff: ${e.message}`));
    return () => {
      cancelled = true;
    };
  }, [sessionId, path, version]);
  if (error) return <p class="error small" role="alert">{error}</p>;
  if (!Viewer || diff === null)
    return (
      <p class="muted small" role="status" data-testid="diff-loading">
        Loading the diff…
      </p>
    );
  if (!diff) return <p class="muted small">No differences.</p>;
  return <Viewer diff={diff} />;
}
