// Writes each product's "Customers also bought" list to its kembali.also_bought metafield,
// which the product block's Liquid reads (no JavaScript, no call to the app). Runs when the
// neighbour rows were refitted, the merchant's choices changed, or a product's availability
// changed (RecsState.publishedVersion no longer matches); writes only the lists that changed.
import { ensureProducts, readProductIds, refreshProducts, type ProductDeps } from "./products";
import { bestSellers } from "./best-sellers";
import { loadProductLists } from "./lists";
import { BASELINE } from "./stored";

/** How long one run may hold a shop's lease before another server may take over. */
export const PUBLISH_LEASE_MS = 10 * 60_000;

export type PublishOutcome =
  /** Not installed, or nothing learned or chosen yet. */
  | "skipped"
  /** Another server is publishing this shop. */
  | "busy"
  /** Product facts are still being read (a big catalogue takes a few runs). */
  | "refreshing"
  /** The lists written are current. */
  | "unchanged"
  /** Every changed list was written; publishedVersion is current. */
  | "written"
  /** Some batches failed: they are tried again on the next run. */
  | "partial";

export interface PublishResult {
  outcome: PublishOutcome;
  /** Lists written (set or changed). */
  written: number;
  /** Metafields removed (a product that lost its list). */
  removed: number;
  /** Products whose write failed. */
  failed: number;
}

/** The version a publish brings the lists to: the fitted neighbour rows and the merchant's choices. */
export const listsVersion = (state: { fittedVersion: number; choicesVersion: number }) => `${state.fittedVersion}:${state.choicesVersion}`;

export async function publishLists(deps: ProductDeps, shopDomain: string): Promise<PublishResult> {
  const result: PublishResult = { outcome: "skipped", written: 0, removed: 0, failed: 0 };
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) return result;
  const shopId = shop.id;
  const now = deps.clock();
  const { count } = await deps.db.recsState.updateMany({
    where: { shopId, OR: [{ listsLockedUntil: null }, { listsLockedUntil: { lt: now } }] },
    data: { listsLockedUntil: new Date(now.getTime() + PUBLISH_LEASE_MS) },
  });
  if (count !== 1) {
    const exists = await deps.db.recsState.count({ where: { shopId } });
    return { ...result, outcome: exists ? "busy" : "skipped" };
  }
  try {
    // Everything a list may name gets a row, so its facts are read before it is written.
    // Every product with a learned list, and every product such a list names, too: the one is
    // written to, so Shopify must still have it; the other is shown, so it must be buyable.
    const [state, pinned, sellers, owners, named] = await Promise.all([
      deps.db.recsState.findUniqueOrThrow({ where: { shopId }, select: { picks: true } }),
      deps.db.product.findMany({ where: { shopId }, select: { pinned: true } }),
      bestSellers(deps, shopId),
      deps.db.recsNeighbour.groupBy({ by: ["productId"], where: { shopId, neighbourId: { not: BASELINE } } }),
      deps.db.recsNeighbour.groupBy({ by: ["neighbourId"], where: { shopId, neighbourId: { not: BASELINE } } }),
    ]);
    await ensureProducts(deps.db, shopId, [
      ...readProductIds(state.picks),
      ...pinned.flatMap((p) => readProductIds(p.pinned)),
      ...sellers,
      ...owners.map((o) => o.productId),
      ...named.map((n) => n.neighbourId),
    ]);
    const refresh = await refreshProducts(deps, shopDomain);
    if (refresh.remaining > 0) return { ...result, outcome: "refreshing" };

    // Read after the refresh: a change of availability cleared publishedVersion.
    const current = await deps.db.recsState.findUniqueOrThrow({
      where: { shopId },
      select: { fittedVersion: true, choicesVersion: true, publishedVersion: true },
    });
    const version = listsVersion(current);
    if (current.publishedVersion === version) return { ...result, outcome: "unchanged" };

    const lists = await loadProductLists(deps, shopId);
    const items: Array<{ productId: string; productIds: string[] }> = [];
    for (const row of lists) {
      if (row.deleted) continue; // its metafields went with it
      if (row.list.length === 0) {
        if (row.written !== null) items.push({ productId: row.productId, productIds: [] });
      } else if (JSON.stringify(row.list) !== JSON.stringify(row.written)) {
        items.push({ productId: row.productId, productIds: row.list });
      }
    }
    const { failed } = items.length > 0 ? await (await deps.shopifyFor(shopDomain)).setAlsoBought(items) : { failed: [] };
    const failedIds = new Set(failed.flatMap((f) => f.productIds));
    for (const item of items) {
      if (failedIds.has(item.productId)) continue;
      await deps.db.product.update({
        where: { shopId_productId: { shopId, productId: item.productId } },
        data: { alsoBoughtWritten: item.productIds.length > 0 ? JSON.stringify(item.productIds) : null },
      });
      if (item.productIds.length > 0) result.written += 1;
      else result.removed += 1;
    }
    result.failed = failedIds.size;
    if (failedIds.size > 0) {
      // Shopify refuses a list naming a product deleted since its facts were read: read the
      // products of the failed lists again on the next run, which then leaves such a product out.
      const involved = items.filter((i) => failedIds.has(i.productId)).flatMap((i) => [i.productId, ...i.productIds]);
      await deps.db.product.updateMany({ where: { shopId, productId: { in: [...new Set(involved)] } }, data: { checkedAt: null } });
      return { ...result, outcome: "partial" };
    }
    // Only if nothing changed meanwhile (a refit or a save while this ran is published next run).
    await deps.db.recsState.updateMany({
      where: {
        shopId,
        fittedVersion: current.fittedVersion,
        choicesVersion: current.choicesVersion,
        publishedVersion: current.publishedVersion,
      },
      data: { publishedVersion: version },
    });
    return { ...result, outcome: "written" };
  } finally {
    await deps.db.recsState.updateMany({ where: { shopId }, data: { listsLockedUntil: null } });
  }
}

/** Installed shops whose lists are behind their neighbour rows or the merchant's choices. */
export async function shopsWithListsDue(deps: Pick<ProductDeps, "db">): Promise<string[]> {
  const states = await deps.db.recsState.findMany({
    where: { shop: { uninstalledAt: null } },
    select: { fittedVersion: true, choicesVersion: true, publishedVersion: true, shop: { select: { domain: true } } },
  });
  return states.filter((s) => s.publishedVersion !== listsVersion(s)).map((s) => s.shop.domain);
}
