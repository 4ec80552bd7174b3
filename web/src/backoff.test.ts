import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_DELAY_MS, MAX_DELAY_MS, nextDelay } from './backoff';

function delays(randoms: number[]): number[] {
  const out: number[] = [];
  let previous = 0;
  randoms.forEach((r, attempt) => out.push((previous = nextDelay(previous, attempt, r))));
  return out;
}

test('delays double from the base and stop at the maximum', () => {
  assert.deepEqual(delays([0, 0, 0, 0, 0, 0, 0, 0]), [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
});

test('jitter never makes a delay shorter than the one before it', () => {
  // Worst case for a monotonic sequence: full jitter, then none, alternating.
  for (const pattern of [[0.999, 0], [0, 0.999], [0.5, 0.999, 0.1]]) {
    const randoms = Array.from({ length: 40 }, (_, i) => pattern[i % pattern.length]);
    const sequence = delays(randoms);
    for (let i = 1; i < sequence.length; i++) assert.ok(sequence[i] >= sequence[i - 1], `${sequence}`);
    assert.equal(sequence.at(-1), MAX_DELAY_MS);
  }
});

test('jitter spreads the first delays by up to a quarter', () => {
  assert.equal(nextDelay(0, 0, 0.999), Math.round(BASE_DELAY_MS * (1 - 0.25 * 0.999)));
  assert.ok(nextDelay(0, 3, 0.999) < nextDelay(0, 3, 0));
});

test('a huge attempt count stays at the maximum', () => {
  assert.equal(nextDelay(0, 10_000, 0.5), MAX_DELAY_MS);
});
