// Browser-test setup, run with tsx against a seeded demo database: the recommendation rows the
// app's rebuild and product sync keep (RecsNeighbour, RecsItem, Product), learned here from the
// demo shop's own paid orders with the app's model, so the "picked for you" card has real picks.
import prisma from "../../app/db.server";
import { DEMO_SHOP } from "../../app/config.server";
import { DEMO_PRODUCTS } from "../../app/demo/catalog";
import { buildRecommender, DEFAULT_RECS_PARAMS, neighbourRows } from "../../app/domain/recommendations/model";
import { BASELINE } from "../../app/domain/recommendations/stored";

const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
const orders = await prisma.order.findMany({
  where: { shopId: shop.id, paidAt: { not: null }, cancelledAt: null },
  select: { lines: { select: { productId: true } } },
});
const model = buildRecommender(
  orders.map((o) => o.lines.flatMap((l) => (l.productId ? [l.productId] : []))),
  DEFAULT_RECS_PARAMS,
);
await prisma.recsNeighbour.deleteMany({ where: { shopId: shop.id } });
await prisma.recsNeighbour.createMany({
  data: neighbourRows(model).map((r) => ({ shopId: shop.id, productId: r.item, neighbourId: r.neighbour ?? BASELINE, score: r.score })),
});
await prisma.recsItem.deleteMany({ where: { shopId: shop.id } });
await prisma.recsItem.createMany({
  data: model.counts.ids.map((id, k) => ({ shopId: shop.id, productId: id, baskets: model.counts.items[k] })).filter((r) => r.baskets > 0),
});
await prisma.product.deleteMany({ where: { shopId: shop.id } });
await prisma.product.createMany({
  data: DEMO_PRODUCTS.map((p) => ({
    shopId: shop.id,
    productId: p.productId,
    title: p.title,
    handle: p.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, ""),
    priceMinor: BigInt(p.price * 100),
    available: !p.soldOut,
  })),
});
// The member with the most paid orders, for the test to log in as.
const [top] = await prisma.order.groupBy({
  by: ["customerId"],
  where: { shopId: shop.id, paidAt: { not: null }, cancelledAt: null, customerId: { not: null } },
  _count: { _all: true },
  orderBy: { _count: { customerId: "desc" } },
  take: 1,
});
const member = await prisma.customer.findUniqueOrThrow({ where: { id: top.customerId! } });
console.log(JSON.stringify({ orders: orders.length, products: model.counts.ids.length, member: member.shopifyCustomerId }));
await prisma.$disconnect();
