// Reconnection delays: doubling from BASE up to MAX, each scaled by a random factor in
// [1 - JITTER, 1] so many pages do not retry in step, and never shorter than the delay before
// it — the wait only grows until the connection succeeds. Pure.
export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 10_000;
const JITTER = 0.25;

// `random` in [0, 1); `previous` is 0 before the first retry.
export function nextDelay(previous: number, attempt: number, random: number): number {
  const exponential = BASE_DELAY_MS * 2 ** Math.min(attempt, 30);
  const jittered = exponential * (1 - JITTER * random);
  return Math.round(Math.min(MAX_DELAY_MS, Math.max(previous, jittered)));
}
