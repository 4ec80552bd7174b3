import { useEffect, useRef, useState } from 'preact/hooks';

// Text shown as text until clicked (or started from a shortcut); Enter saves, Escape cancels.
export function Editable({
  value,
  onSave,
  multiline = false,
  placeholder,
  class: className = '',
  startEditing = 0,
  maxLength,
  testId,
  label,
}: {
  value: string;
  onSave: (next: string) => void;
  multiline?: boolean;
  placeholder?: string;
  class?: string;
  startEditing?: number; // bump to start editing
  maxLength?: number;
  testId?: string;
  label: string;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  useEffect(() => {
    if (startEditing) begin();
  }, [startEditing]);

  useEffect(() => {
    if (editing) {
      ref.current?.focus();
      ref.current?.select();
    }
  }, [editing]);

  function begin() {
    setDraft(value);
    setEditing(true);
  }

  function commit() {
    setEditing(false);
    const next = multiline ? draft : draft.trim();
    if (next !== value && (multiline || next)) onSave(next);
  }

  if (!editing)
    return (
      <div
        class={`editable ${className} ${value ? '' : 'is-empty'}`}
        tabIndex={0}
        role="button"
        aria-label={`${label}: ${value || placeholder || 'empty'} (edit)`}
        data-testid={testId}
        onClick={begin}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            e.stopPropagation();
            begin();
          }
        }}
      >
        {value || <span class="placeholder">{placeholder}</span>}
      </div>
    );

  const common = {
    ref,
    class: `input ${className}`,
    value: draft,
    maxLength,
    'aria-label': label,
    'data-testid': testId ? `${testId}-input` : undefined,
    onInput: (e: Event) => setDraft((e.currentTarget as HTMLInputElement).value),
    onBlur: commit,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setEditing(false);
      } else if (e.key === 'Enter' && (!multiline || e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        commit();
      }
    },
  };
  return multiline ? <textarea {...common} rows={Math.min(16, Math.max(4, draft.split('\n').length + 1))} /> : <input {...common} />;
}
