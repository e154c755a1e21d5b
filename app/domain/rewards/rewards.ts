// The reward catalogue a merchant sets up: what points buy.
import { z } from "zod";
import type { Deps } from "../deps";
import { findShop } from "../shop/shops";
import { KembaliError } from "../errors";

export const REWARD_TYPES = ["fixed_amount", "percentage", "free_shipping", "free_product", "store_credit"] as const;
export type RewardType = (typeof REWARD_TYPES)[number];

const whole = z.number().int();
export const rewardInputSchema = z
  .object({
    name: z.string().trim().min(1, "reward.error.name").max(80, "reward.error.name"),
    type: z.enum(REWARD_TYPES),
    pointsCost: whole.min(1, "reward.error.pointsCost").max(10_000_000, "reward.error.pointsCost"),
    /** Minor units (fixed_amount, store_credit) or percent (percentage). */
    // Reward.value is a 32-bit column: up to Rp21 million (IDR minor units) or $21 million.
    value: whole.min(0).max(2_000_000_000).default(0),
    variantId: z.string().regex(/^\d+$/, "reward.error.variantId").nullish(),
    minimumSubtotal: whole.min(0).max(1e15).nullish(),
    validityDays: whole.min(1).max(3650).nullish(),
    combinesWithOrder: z.boolean().default(false),
    combinesWithProduct: z.boolean().default(false),
    combinesWithShipping: z.boolean().default(true),
  })
  .superRefine((r, ctx) => {
    const need = (ok: boolean, path: string, message: string) => ok || ctx.addIssue({ code: "custom", path: [path], message });
    // A free product's value is one unit's price: the most its code takes off.
    if (r.type === "fixed_amount" || r.type === "store_credit" || r.type === "free_product") {
      need(r.value > 0, "value", "reward.error.amount");
    }
    if (r.type === "percentage") need(r.value >= 1 && r.value <= 100, "value", "reward.error.percent");
    if (r.type === "free_product") need(!!r.variantId, "variantId", "reward.error.variantId");
  });
export type RewardInput = z.input<typeof rewardInputSchema>;

export function parseRewardInput(input: unknown) {
  const parsed = rewardInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
    throw new KembaliError("BAD_INPUT", "The reward is invalid", { fields });
  }
  return parsed.data;
}

async function shopId(db: Deps["db"], domain: string): Promise<string> {
  const shop = await findShop(db, domain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  return shop.id;
}

export async function createReward(deps: Pick<Deps, "db">, domain: string, input: unknown) {
  const data = parseRewardInput(input);
  const id = await shopId(deps.db, domain);
  return deps.db.reward.create({
    data: {
      ...data,
      shopId: id,
      variantId: data.variantId ?? null,
      minimumSubtotal: data.minimumSubtotal == null ? null : BigInt(data.minimumSubtotal),
      validityDays: data.validityDays ?? null,
    },
  });
}

export async function listRewards(deps: Pick<Deps, "db">, domain: string) {
  const id = await shopId(deps.db, domain);
  const rows = await deps.db.reward.findMany({
    where: { shopId: id },
    orderBy: [{ active: "desc" }, { pointsCost: "asc" }],
    include: { _count: { select: { redemptions: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type as RewardType,
    pointsCost: r.pointsCost,
    value: r.value,
    active: r.active,
    validityDays: r.validityDays,
    minimumSubtotal: r.minimumSubtotal === null ? null : Number(r.minimumSubtotal),
    redemptions: r._count.redemptions,
  }));
}

/** Rewards are never deleted (redemptions point at them); they are switched off. */
export async function setRewardActive(deps: Pick<Deps, "db">, domain: string, rewardId: string, active: boolean) {
  const id = await shopId(deps.db, domain);
  const { count } = await deps.db.reward.updateMany({ where: { id: rewardId, shopId: id }, data: { active } });
  if (count !== 1) throw new KembaliError("NOT_FOUND", "No such reward in this shop");
}
