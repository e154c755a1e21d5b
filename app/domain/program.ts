// The merchant's programme settings: one zod schema, read and written through it, stored
// as JSON on the shop. Step 1 holds the earning rate; later rules add fields with defaults,
// so settings written by an older version still parse.
import { z } from "zod";
import { oneUnit } from "./money";
import { KembaliError } from "./errors";

export const earningRateSchema = z.object({
  /** Points earned... */
  points: z.number().int().min(0).max(1_000_000),
  /** ...for every this much spent, in minor units of the shop currency. */
  perAmount: z.number().int().positive().max(1e15),
});

export const programSettingsSchema = z.object({
  earning: earningRateSchema,
});

export type ProgramSettings = z.infer<typeof programSettingsSchema>;

/** Default: 1 point per whole unit of the shop currency. */
export function defaultSettings(currency: string): ProgramSettings {
  return { earning: { points: 1, perAmount: oneUnit(currency) } };
}

/** Stored JSON -> settings, filling anything missing from the defaults. */
export function readSettings(stored: unknown, currency: string): ProgramSettings {
  const defaults = defaultSettings(currency);
  const value = (stored && typeof stored === "object" ? stored : {}) as Record<string, unknown>;
  const merged = { ...defaults, ...value };
  const parsed = programSettingsSchema.safeParse(merged);
  // Stored settings were validated when written; a bad value here is a bug, not input.
  if (!parsed.success) throw new Error(`Stored programme settings are invalid: ${parsed.error.message}`);
  return parsed.data;
}

/** Merchant input -> settings, or a BAD_INPUT error naming the fields. */
export function parseSettings(input: unknown): ProgramSettings {
  const parsed = programSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new KembaliError("BAD_INPUT", "Programme settings are invalid", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}
