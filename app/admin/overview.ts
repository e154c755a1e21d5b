// The admin home's live part for one shop: the program rule, the member count and the
// latest ledger activity (the retention figures come from analytics/dashboard.ts).
import type { Deps } from "~/domain/deps";
import { findShop } from "~/domain/shop/shops";
import { KembaliError } from "~/domain/errors";
import type { ProgramSettings } from "~/domain/earning/program";
import { labelEntries, type EntryLabel } from "~/domain/ledger/entry-labels";

export interface ProgramOverview {
  currency: string;
  settings: ProgramSettings;
  members: number;
  recent: Array<{
    id: string;
    kind: string;
    points: number;
    balanceAfter: number;
    /** The stored reason (English for the app's own entries): what the page shows is `label`. */
    reason: string | null;
    label: EntryLabel;
    at: string;
    customer: string;
  }>;
}

export async function programOverview(deps: Pick<Deps, "db">, shopDomain: string): Promise<ProgramOverview> {
  const { db } = deps;
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const shopId = shop.id;
  const [members, recent] = await Promise.all([
    db.customer.count({ where: { shopId } }),
    db.pointsEntry.findMany({
      where: { shopId },
      orderBy: { createdAt: "desc" },
      take: 10,
      select: {
        id: true,
        kind: true,
        points: true,
        balanceAfter: true,
        reason: true,
        sourceType: true,
        sourceId: true,
        createdAt: true,
        customer: { select: { shopifyCustomerId: true } },
      },
    }),
  ]);
  const labels = await labelEntries(deps, shopId, recent);
  return {
    currency: shop.currency,
    settings: shop.settings,
    members,
    recent: recent.map((e, i) => ({
      id: e.id,
      kind: e.kind,
      points: e.points,
      balanceAfter: e.balanceAfter,
      reason: e.reason,
      label: labels[i]!,
      at: e.createdAt.toISOString(),
      customer: e.customer.shopifyCustomerId,
    })),
  };
}
