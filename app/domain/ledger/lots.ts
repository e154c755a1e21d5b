// Earn entries are lots: each has what is left of it (remainingPoints), when it becomes
// spendable (availableAt) and when it expires (expiresAt). Spends and expiries take from the
// oldest lots first. This is the one place that decides which lots a deduction consumes.

export interface Lot {
  id: string;
  remaining: number;
  availableAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface Allocation {
  lotId: string;
  take: number;
}

/** Spendable now: available, not expired, something left. */
export function isSpendable(lot: Lot, now: Date): boolean {
  return lot.remaining > 0 && (!lot.availableAt || lot.availableAt <= now) && (!lot.expiresAt || lot.expiresAt > now);
}

/**
 * Takes `points` from the spendable lots, soonest-expiring first, then oldest. Returns what
 * to take from each; the sum may be less than `points` when the lots do not cover it (the
 * balance guard, not this function, decides whether a spend may happen).
 */
export function allocate(lots: Lot[], points: number, now: Date): Allocation[] {
  if (!Number.isSafeInteger(points) || points < 0) throw new RangeError("points must be a non-negative integer");
  const order = lots
    .filter((l) => isSpendable(l, now))
    .sort(
      (a, b) =>
        (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.id.localeCompare(b.id),
    );
  const out: Allocation[] = [];
  let left = points;
  for (const lot of order) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    out.push({ lotId: lot.id, take });
    left -= take;
  }
  return out;
}
