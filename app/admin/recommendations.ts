// What the admin Recommendations page shows: how the lists are doing, the last rebuild with its
// quality figure, the settings, the merchant's picks, excluded products and products with pins.
import type { Deps } from "~/domain/deps";
import { KembaliError } from "~/domain/errors";
import { findShop } from "~/domain/shop/shops";
import {
  excludedProducts,
  LIST_LENGTH,
  MIN_ORDERS,
  PICKS_MAX,
  productChoices,
  productsWithPins,
  recsSettings,
  type ProductChoice,
} from "~/domain/recommendations/choices";
import { lastRebuild, type RebuildView } from "~/domain/recommendations/rebuild-control";

export type { ProductChoice, RebuildView };

/** Whether the lists on the store show the latest counts and choices. */
export type ListsWritten = "current" | "pending" | "never";

export interface RecommendationsPage {
  settings: { listLength: number; minOrders: number };
  limits: { listLength: typeof LIST_LENGTH; minOrders: typeof MIN_ORDERS; picks: number };
  overview: { baskets: number; productsWithLists: number; fittedAt: string | null; lists: ListsWritten };
  rebuild: RebuildView | null;
  /** The last finished rebuild: the quality figure shown. */
  measured: RebuildView | null;
  picks: ProductChoice[];
  excluded: ProductChoice[];
  /** Products with pins, each with its pinned products in order. */
  pinned: Array<ProductChoice & { pins: ProductChoice[] }>;
}

/** The installed shop's id, or NOT_FOUND. */
export async function recsShopId(db: Deps["db"], shopDomain: string): Promise<string> {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return shop.id;
}

/** Products with a list of their own: those with learned (non-baseline) neighbour rows. */
async function productsWithLists(db: Deps["db"], shopId: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: bigint | number }>>`
    SELECT COUNT(DISTINCT "productId") AS n FROM "RecsNeighbour" WHERE "shopId" = ${shopId} AND "neighbourId" <> ''`;
  return Number(row?.n ?? 0);
}

export async function recommendationsPage(deps: Pick<Deps, "db">, shopDomain: string): Promise<RecommendationsPage> {
  const shopId = await recsShopId(deps.db, shopDomain);
  const settings = await recsSettings(deps, shopId);
  const [state, withLists, rebuild, measured, picks, excluded, withPins] = await Promise.all([
    deps.db.recsState.findUniqueOrThrow({ where: { shopId } }),
    productsWithLists(deps.db, shopId),
    lastRebuild(deps, shopDomain),
    lastRebuild(deps, shopDomain, { finished: true }),
    productChoices(deps, shopId, settings.picks),
    excludedProducts(deps, shopId),
    productsWithPins(deps, shopId),
  ]);
  const pinnedIds = [...new Set(withPins.flatMap((p) => p.pinned))];
  const pinnedById = new Map((await productChoices(deps, shopId, pinnedIds)).map((p) => [p.productId, p]));
  const published = `${state.fittedVersion}:${state.choicesVersion}`;
  return {
    settings: { listLength: settings.listLength, minOrders: settings.minOrders },
    limits: { listLength: LIST_LENGTH, minOrders: MIN_ORDERS, picks: PICKS_MAX },
    overview: {
      baskets: state.baskets,
      productsWithLists: withLists,
      fittedAt: state.fittedAt?.toISOString() ?? null,
      lists: state.publishedVersion === null ? "never" : state.publishedVersion === published ? "current" : "pending",
    },
    rebuild,
    measured,
    picks,
    excluded,
    pinned: withPins.map((p) => ({ ...p, pins: p.pinned.flatMap((id) => pinnedById.get(id) ?? []) })),
  };
}
