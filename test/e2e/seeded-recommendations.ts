// Browser-test setup, run with tsx against a seeded demo database: how many products the seed's
// refit gave a list of their own, and the member with the most paid orders to log in as.
import prisma from "../../app/db.server";
import { DEMO_SHOP } from "../../app/config.server";

const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
// What the seed's refit learned from the demo's paid orders (the product facts and lists follow
// in the app's background work, before the storefront's first page).
const learned = await prisma.recsNeighbour.groupBy({ by: ["productId"], where: { shopId: shop.id, neighbourId: { not: "" } } });
// The member with the most paid orders, for the test to log in as.
const [top] = await prisma.order.groupBy({
  by: ["customerId"],
  where: { shopId: shop.id, paidAt: { not: null }, cancelledAt: null, customerId: { not: null } },
  _count: { _all: true },
  orderBy: { _count: { customerId: "desc" } },
  take: 1,
});
const member = await prisma.customer.findUniqueOrThrow({ where: { id: top.customerId! } });
console.log(JSON.stringify({ learned: learned.length, member: member.shopifyCustomerId }));
await prisma.$disconnect();
