// Seeds the demo shop: the IDR coffee roaster from app/demo/catalog.ts with 18 months of orders,
// redemptions, expired points and referrals in every state (app/demo/seed.server.ts), written
// through the same domain functions the webhooks use, so balances are real ledger sums.
// Deterministic (seeded PRNG). Run: DATABASE_URL=... npx tsx scripts/seed.ts [--reset | --fresh]
// --fresh starts over with the shop as a brand-new install leaves it (see installFresh).
import prisma from "../app/db.server";
import { DEMO_SHOP } from "../app/config.server";
import { DEMO_CURRENCY, DEMO_SHOP_NAME } from "../app/demo/catalog";
import { seedDemoShop } from "../app/demo/seed.server";
import { installShop } from "../app/domain/shop/shops";
import { deleteShopData } from "../app/domain/members/compliance";

/**
 * --fresh: the demo shop exactly as installing the app leaves a new shop (the install's own
 * function, with the name and currency Shopify would report): the default program for IDR,
 * no rewards, no customers or orders yet, not onboarded. The admin then opens on onboarding.
 */
async function installFresh() {
  await installShop(prisma, DEMO_SHOP, { name: DEMO_SHOP_NAME, currencyCode: DEMO_CURRENCY }, new Date());
  console.log(`Installed ${DEMO_SHOP} as a new shop (${DEMO_SHOP_NAME}, ${DEMO_CURRENCY}): onboarding comes first at /app.`);
}

async function main() {
  const fresh = process.argv.includes("--fresh");
  const reset = fresh || process.argv.includes("--reset");
  const existing = await prisma.shop.findUnique({ where: { domain: DEMO_SHOP } });
  if (existing && !reset) {
    console.log(`Demo shop ${DEMO_SHOP} already seeded (use --reset to start over, --fresh for a new install).`);
    return;
  }
  // With the rows keyed by the shop without a relation (tiers, dashboard snapshots, jobs).
  if (existing) await deleteShopData(prisma, DEMO_SHOP);
  await prisma.webhookEvent.deleteMany({ where: { shopDomain: DEMO_SHOP } });
  if (fresh) return installFresh();

  const seeded = await seedDemoShop(prisma, DEMO_SHOP);
  const referrals = Object.entries(seeded.referrals)
    .map(([status, n]) => `${n} ${status.replace(/_/g, " ")}`)
    .join(", ");
  console.log(
    `Seeded ${DEMO_SHOP}: ${seeded.products} products, ${seeded.customers} customers, ${seeded.orders} paid orders over 18 months ` +
      `(${seeded.refunds} refunded, ${seeded.cancellations} cancelled), ${seeded.rewards} rewards, ${seeded.redemptions} redemptions, ` +
      `referrals: ${referrals}.`,
  );
}

await main();
await prisma.$disconnect();
