// The merchant's holdout share, without Node imports: the program form's module
// (app/admin/program.ts, which also runs in the browser) saves it. Assignment is in holdout.ts.
import type { Tx } from "../../db-types";
import type { ProgramSettings } from "../earning/program";

export const HOLDOUT_BUCKETS = 10_000;

/** Buckets below this are held out under the share (percent). */
export function holdoutBoundary(share: number): number {
  return share * (HOLDOUT_BUCKETS / 100);
}

/**
 * The holdout settings after the merchant sets a share: the salt is made the first time a
 * share above 0 is saved and kept from then on (buckets never move).
 */
export function holdoutSettings(saved: ProgramSettings["holdout"], share: number, newSalt: () => string): ProgramSettings["holdout"] {
  return { share, salt: saved.salt ?? (share > 0 ? newSalt() : null) };
}

/** A random salt (Web Crypto: Node 20 and browsers). */
export function randomSalt(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * After a share is saved: held-out customers at or above the new boundary join the program,
 * recorded (holdoutReleasedAt) so that the comparison leaves them out. Returns how many.
 */
export async function releaseAboveShare(db: Tx, shopId: string, share: number, now: Date): Promise<number> {
  const { count } = await db.customer.updateMany({
    where: { shopId, holdout: true, OR: [{ holdoutBucket: null }, { holdoutBucket: { gte: holdoutBoundary(share) } }] },
    data: { holdout: false, holdoutReleasedAt: now },
  });
  return count;
}
