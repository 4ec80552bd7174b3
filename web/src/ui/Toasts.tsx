import { useStore } from '../hooks';

export function Toasts() {
  const s = useStore();
  return (
    <div class="toasts" aria-live="polite">
      {s.toasts.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} onClick={() => s.dismissToast(t.id)}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
