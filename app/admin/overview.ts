// The admin home's live part for one shop: the program rule and the latest ledger activity (the
// retention figures and the member count come from the stored figures, analytics/dashboard.ts).
import type { Deps } from "~/domain/deps";
import { findShop } from "~/domain/shop/shops";
import { KembaliError } from "~/domain/errors";
import type { ProgramSettings } from "~/domain/earning/program";
import { labelEntries, type EntryLabel } from "~/domain/ledger/entry-labels";

export interface ProgramOverview {
  currency: string;
  settings: ProgramSettings;
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
  const recent = await db.pointsEntry.findMany({
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
  });
  const labels = await labelEntries(deps, shopId, recent);
  return {
    currency: shop.currency,
    settings: shop.settings,
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

/**
 * The member count the home page shows beside the stored figures: the one stored with them, or
 * counted now for figures stored before the count was kept (once, until the next daily run).
 */
export async function membersAsOfFigures(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  segments: { members?: number } | null,
): Promise<number | null> {
  if (!segments) return null;
  if (segments.members !== undefined) return segments.members;
  return deps.db.customer.count({ where: { shop: { domain: shopDomain } } });
}
