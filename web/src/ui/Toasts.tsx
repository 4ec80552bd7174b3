import { useStore } from '../hooks';
import { Close } from './icons';

export function Toasts() {
  const s = useStore();
  return (
    <div class="toasts" role="region" aria-label="Notifications" aria-live="polite">
      {s.toasts.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid="toast">
          <span class="toast-text">{t.text}</span>
          {t.action && (
            <button
              class="toast-action"
              data-testid="toast-action"
              onClick={() => {
                s.dismissToast(t.id);
                t.action!.run();
              }}
            >
              {t.action.label}
            </button>
          )}
          <button class="toast-close" aria-label="Dismiss" onClick={() => s.dismissToast(t.id)}>
            <Close />
          </button>
        </div>
      ))}
    </div>
  );
}
