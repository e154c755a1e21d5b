// The app's clocks: real time, and a clock that only moves forward, for the demo's time travel
// (a demo or a browser test passes a hold window without waiting 30 days).
import type { Clock } from "./domain/deps";

export const realClock: Clock = () => new Date();

export interface MovableClock {
  now: Clock;
  /** Moves the clock `ms` forward (never back) and answers the new time. */
  advance(ms: number): Date;
}

export function movableClock(base: Clock = realClock): MovableClock {
  let offsetMs = 0;
  const now = () => new Date(base().getTime() + offsetMs);
  return {
    now,
    advance(ms) {
      if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError("The clock only moves forward");
      offsetMs += ms;
      return now();
    },
  };
}
