// The diff viewer, loaded on first use (ui/LazyDiff.tsx). diff2html turns git's unified diff —
// every file, new and binary ones included — into escaped HTML with line numbers and the
// changed words marked; it needs no highlighter and no framework, so Preact only hosts it.
import { html } from 'diff2html';
import 'diff2html/bundles/css/diff2html.min.css';
import { useMemo } from 'preact/hooks';

export function DiffView({ diff }: { diff: string }) {
  const markup = useMemo(
    () => html(diff, { drawFileList: false, outputFormat: 'line-by-line', matching: 'words', diffStyle: 'word' }),
    [diff],
  );
  return <div class="diff-view" data-testid="diff-view" dangerouslySetInnerHTML={{ __html: markup }} />;
}
