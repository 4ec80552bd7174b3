import { useEffect, useReducer, useState } from 'preact/hooks';
import { store } from './store';

// Re-renders the component whenever the store changes.
export function useStore(): typeof store {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => store.subscribe(() => bump(undefined)), []);
  return store;
}

// The current time, refreshed every `everyMs` (for countdowns and "3 min ago").
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
