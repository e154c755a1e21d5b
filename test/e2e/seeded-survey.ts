// Browser-test setup, run with tsx against a seeded demo database: a member the storefront's
// survey card asks today (an order fulfilled past the shop's delay, not answered), to log in as.
import prisma from "../../app/db.server";
import { DEMO_SHOP } from "../../app/config.server";
import { dueStorefrontSurvey } from "../../app/domain/surveys/responses";

const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } });
const customers = await prisma.customer.findMany({ where: { shopId: shop.id }, orderBy: { shopifyCustomerId: "asc" } });
let member: string | null = null;
let order: string | null = null;
for (const c of customers) {
  const due = await dueStorefrontSurvey({ db: prisma, clock: () => new Date() }, DEMO_SHOP, c.shopifyCustomerId);
  if (due) {
    member = c.shopifyCustomerId;
    order = due.order;
    break;
  }
}
console.log(JSON.stringify({ member, order }));
await prisma.$disconnect();
