// Pure earning rules: how many points an order earns under the programme settings.
import type { ProgramSettings } from "./program";

export interface EarnableOrder {
  /** Subtotal after discounts, before shipping and tax, in minor units. */
  subtotal: number;
}

export function pointsForOrder(order: EarnableOrder, settings: ProgramSettings): number {
  const { points, perAmount } = settings.earning;
  if (order.subtotal <= 0 || points === 0) return 0;
  // Integer arithmetic only; BigInt keeps large IDR totals exact.
  return Number((BigInt(order.subtotal) * BigInt(points)) / BigInt(perAmount));
}
