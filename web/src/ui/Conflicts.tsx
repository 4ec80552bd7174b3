import { useStore } from '../hooks';
import { resolveConflict } from '../sync/actions';
import type { Conflict } from '../sync/conflicts';
import { fieldOf } from '../task-fields';

const FIELD_NAMES: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  blockedReason: 'Blocked reason',
  completed: 'Done',
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function ConflictCard({ conflict }: { conflict: Conflict }) {
  const op = conflict.op;
  const fields = Object.keys(op.body ?? {}).filter((k) => k in FIELD_NAMES);
  const isDelete = op.method === 'DELETE';
  return (
    <div class="conflict" role="alert" data-testid="conflict" data-target={op.target}>
      <strong>Not applied: {op.label}</strong>
      <p class="small">{conflict.message}</p>
      {!isDelete && conflict.current && fields.length > 0 && (
        <table class="diff small">
          <thead>
            <tr>
              <th />
              <th>Yours</th>
              <th>Now on the server</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((k) => (
              <tr key={k}>
                <th>{FIELD_NAMES[k]}</th>
                <td class="mine">{show(op.body?.[k])}</td>
                <td class="theirs">{show(fieldOf(conflict.current!, k))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="conflict-actions">
        <button class="button small" data-testid="conflict-theirs" onClick={() => resolveConflict(conflict.id, 'theirs')}>
          {isDelete ? 'Keep it' : 'Keep theirs'}
        </button>
        <button class="button small primary" data-testid="conflict-mine" onClick={() => resolveConflict(conflict.id, 'mine')}>
          {isDelete ? 'Delete anyway' : 'Use mine'}
        </button>
      </div>
    </div>
  );
}

export function ConflictTray() {
  const s = useStore();
  if (!s.conflicts.length) return null;
  return (
    <div class="conflicts" aria-live="polite">
      {s.conflicts.map((c) => (
        <ConflictCard key={c.id} conflict={c} />
      ))}
    </div>
  );
}
