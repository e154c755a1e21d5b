// Quiet hours in the shop's time zone: no marketing message from `start` o'clock until `end`
// o'clock local time (21 to 8 spans midnight). The zone math is Intl's, so daylight saving
// changes are the zone database's, not ours.

export interface QuietHours {
  enabled: boolean;
  start: number;
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** A zone Intl knows, else UTC (a stored zone is validated on the way in; this is the last guard). */
export function knownTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** The hour (0-23) on the wall clock of `timeZone` at `at`. */
export function localHour(at: Date, timeZone: string): number {
  const hour = formatter(knownTimeZone(timeZone))
    .formatToParts(at)
    .find((p) => p.type === "hour")?.value;
  return Number(hour) % 24;
}

export function isQuiet(at: Date, timeZone: string, quiet: QuietHours): boolean {
  if (!quiet.enabled || quiet.start === quiet.end) return false;
  const h = localHour(at, timeZone);
  return quiet.start < quiet.end ? h >= quiet.start && h < quiet.end : h >= quiet.start || h < quiet.end;
}

const STEP_MS = 15 * 60_000;

/**
 * When the quiet hours around `at` end (the first moment the local clock reads `end` o'clock,
 * or later when a daylight saving jump skips that hour), or null when `at` is not inside them.
 * Every zone's offset is a multiple of 15 minutes, so walking in quarter hours from the quarter
 * hour before `at` lands exactly on the local hour.
 */
export function quietHoursEnd(at: Date, timeZone: string, quiet: QuietHours): Date | null {
  if (!isQuiet(at, timeZone, quiet)) return null;
  let t = Math.floor(at.getTime() / STEP_MS) * STEP_MS;
  // At most 24 hours of quiet (plus a daylight saving hour): 100 steps always find the end.
  for (let i = 0; i < 100; i++) {
    t += STEP_MS;
    if (!isQuiet(new Date(t), timeZone, quiet)) return new Date(t);
  }
  return new Date(at.getTime() + 24 * 3_600_000);
}
