import type { RewardType } from "~/domain/rewards/rewards";

// A free product's amount is one unit's price: its code takes that much off, so one item is free.
export const MONEY_TYPES: readonly RewardType[] = ["fixed_amount", "store_credit", "free_product"];
