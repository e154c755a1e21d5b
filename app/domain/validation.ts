// Shared pieces of the domain's input schemas: one way to validate merchant input and to say
// what is wrong with it.
import { z } from "zod";
import { KembaliError } from "./errors";

/** Text the merchant types and shoppers see; counted in characters, not UTF-16 units. */
export const merchantText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((s) => [...s].length <= max, `At most ${max} characters`);

/** Multipliers are kept in hundredths by the earning engine, so more decimals would be lost. */
export const twoDecimals = (n: number) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-9;

/** Parsed input, or BAD_INPUT listing each problem with its field path ("tiers.1.threshold"). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new KembaliError("BAD_INPUT", message, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}
