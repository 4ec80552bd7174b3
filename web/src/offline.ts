// Registers the service worker that keeps the app shell for offline reloads (built app only;
// Vite's dev server serves modules the worker would not know).
export function registerShellCache(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register('/sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      document.documentElement.dataset.offlineReady = 'true';
    })
    .catch(() => {
      /* not a secure context, or disabled: the UI works, just not when reloaded offline */
    });
}
