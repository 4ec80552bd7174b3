// A session's changes panel: its branch against the base, the files with their +/- counts, a
// file's diff, and merging (with a strategy) or discarding the branch, each confirmed first.
// Shown beside a session's terminal and for each session in the task panel.
import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../hooks';
import { discardSession, loadChanges, mergeSession, type MergeRefusal } from '../sync/worktrees';
import { LIVE_SESSION_STATUSES, type ChangeSet, type Session } from '../types';
import { LazyDiff } from './LazyDiff';

const STATUS_LETTER: Record<string, string> = { added: 'A', modified: 'M', deleted: 'D', typechange: 'T' };

function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function Refusal({ refusal, base }: { refusal: MergeRefusal; base: string }) {
  const lead =
    refusal.code === 'merge_conflict'
      ? `The branch conflicts with ${base} in these files; nothing was changed:`
      : refusal.code === 'checkout_dirty'
        ? `The checkout of ${base} has uncommitted changes to these files; nothing was changed:`
        : refusal.message;
  return (
    <div class="refusal" role="alert" data-testid="merge-refusal" data-code={refusal.code}>
      <p>{lead}</p>
      {refusal.files.length > 0 && (
        <ul class="mono small">
          {refusal.files.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Summary({ changes }: { changes: ChangeSet }) {
  return (
    <span class="changes-summary small">
      <span class="mono">{changes.branch}</span> → <span class="mono">{changes.base}</span>
      <span class="muted">
        {' '}
        · {changes.ahead} ahead · {changes.behind} behind ·{' '}
      </span>
      <span class="added" aria-label={`${changes.additions} lines added`}>
        +{changes.additions}
      </span>{' '}
      <span class="removed" aria-label={`${changes.deletions} lines removed`}>
        −{changes.deletions}
      </span>
    </span>
  );
}

export function ChangesPanel({ session, headingLevel = 3 }: { session: Session; headingLevel?: 3 | 4 }) {
  const s = useStore();
  const worktree = session.worktree;
  const active = worktree?.state === 'active';
  const changes = s.changes.get(session.id);
  const live = LIVE_SESSION_STATUSES.has(session.status);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'merge' | 'discard' | null>(null);
  const [strategy, setStrategy] = useState<'merge' | 'squash'>('merge');
  const [stopFirst, setStopFirst] = useState(false);
  const [refusal, setRefusal] = useState<MergeRefusal | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!active) return;
    loadChanges(session.id).catch((e: Error) => setError(`Could not load the changes: ${e.message}`));
  }, [session.id, active]);

  if (!worktree) return null;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const headingId = `changes-${session.id}`;
  if (!active)
    return (
      <section class="changes-panel" data-testid="changes-panel" data-state={worktree.state} aria-labelledby={headingId}>
        <Heading id={headingId}>Changes</Heading>
        <p class="muted small">
          Branch <span class="mono">{worktree.branch}</span>{' '}
          {worktree.state === 'merged'
            ? `was merged into ${worktree.base}${worktree.mergedCommit ? ` as ${worktree.mergedCommit.slice(0, 10)}` : ''}.`
            : 'was discarded.'}
        </p>
      </section>
    );

  const overlaps = s.overlaps.filter((o) => o.sessionIds.includes(session.id));
  const nameOf = (id: string) => s.sessions.get(id)?.name || id;
  const run = async () => {
    if (!confirm) return;
    setBusy(true);
    setRefusal(null);
    const result =
      confirm === 'merge' ? await mergeSession(session.id, strategy, stopFirst) : await discardSession(session.id, stopFirst);
    setBusy(false);
    if (result) setRefusal(result);
    else {
      setConfirm(null);
      s.toast(confirm === 'merge' ? `Merged ${worktree.branch} into ${worktree.base}` : `Discarded ${worktree.branch}`);
    }
  };

  return (
    <section class="changes-panel" data-testid="changes-panel" data-state="active" data-session-id={session.id} aria-labelledby={headingId}>
      <div class="section-head">
        <Heading id={headingId}>Changes</Heading>
        {changes && <Summary changes={changes} />}
        {worktree.diskBytes ? <span class="muted small">{bytes(worktree.diskBytes)} on disk</span> : null}
      </div>
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
      {overlaps.map((o) => (
        <p class="overlap-note small" key={o.sessionIds.join(' ')} data-testid="overlap-note">
          <span class="chip chip-overlap">overlap</span> Also changed by{' '}
          {o.sessionIds
            .filter((id) => id !== session.id)
            .map(nameOf)
            .join(', ')}
          : <span class="mono">{o.paths.join(', ')}</span>
        </p>
      ))}
      {changes && changes.files.length === 0 && <p class="muted small">No changes yet.</p>}
      {changes && changes.files.length > 0 && (
        <ul class="change-files" aria-label="Changed files">
          {changes.files.map((file) => (
            <li key={file.path}>
              <button
                class={`change-file ${selected === file.path ? 'selected' : ''}`}
                aria-pressed={selected === file.path}
                data-testid="change-file"
                data-path={file.path}
                onClick={() => setSelected(selected === file.path ? null : file.path)}
              >
                <span class={`change-status status-${file.status}`} title={file.status}>
                  {STATUS_LETTER[file.status] ?? '?'}
                </span>
                <span class="mono change-path">{file.path}</span>
                {file.binary ? (
                  <span class="muted small">binary</span>
                ) : (
                  <span class="small">
                    <span class="added">+{file.additions}</span> <span class="removed">−{file.deletions}</span>
                  </span>
                )}
                {file.uncommitted && <span class="muted small">uncommitted</span>}
              </button>
            </li>
          ))}
          {changes.truncated && <li class="muted small">…and {changes.fileCount - changes.files.length} more</li>}
        </ul>
      )}
      {selected && changes && (
        <LazyDiff sessionId={session.id} path={selected} version={`${changes.head}:${changes.additions}:${changes.deletions}`} />
      )}
      {confirm === null ? (
        <div class="changes-actions">
          <button class="button small" data-testid="merge-open" disabled={busy} onClick={() => (setConfirm('merge'), setRefusal(null))}>
            Merge…
          </button>
          <button class="button small danger" data-testid="discard-open" disabled={busy} onClick={() => (setConfirm('discard'), setRefusal(null))}>
            Discard…
          </button>
        </div>
      ) : (
        <div class="changes-confirm" role="group" aria-label={confirm === 'merge' ? 'Confirm the merge' : 'Confirm the discard'}>
          {confirm === 'merge' ? (
            <>
              <label class="field inline" for={`strategy-${session.id}`}>
                <span>Strategy</span>
                <select
                  id={`strategy-${session.id}`}
                  data-testid="merge-strategy"
                  value={strategy}
                  onChange={(e) => setStrategy((e.currentTarget as HTMLSelectElement).value as 'merge' | 'squash')}
                >
                  <option value="merge">Merge commit</option>
                  <option value="squash">Squash into one commit</option>
                </select>
              </label>
              <p class="small">
                Commit what is uncommitted on <span class="mono">{worktree.branch}</span> and merge it into{' '}
                <span class="mono">{worktree.base}</span>? The worktree and branch are removed afterwards.
              </p>
            </>
          ) : (
            <p class="small">
              Remove the worktree and the branch <span class="mono">{worktree.branch}</span> with all its work, unmerged? This cannot be undone.
            </p>
          )}
          {live && (
            <label class="field inline small">
              <input type="checkbox" checked={stopFirst} onChange={(e) => setStopFirst((e.currentTarget as HTMLInputElement).checked)} />
              <span>Stop the session first (it is still {session.status})</span>
            </label>
          )}
          <div class="changes-actions">
            <button
              class={`button small ${confirm === 'merge' ? 'primary' : 'danger'}`}
              data-testid={confirm === 'merge' ? 'merge-confirm' : 'discard-confirm'}
              disabled={busy || (live && !stopFirst)}
              onClick={run}
            >
              {confirm === 'merge' ? `Merge into ${worktree.base}` : 'Discard'}
            </button>
            <button class="button small" disabled={busy} onClick={() => setConfirm(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {refusal && <Refusal refusal={refusal} base={worktree.base} />}
    </section>
  );
}
