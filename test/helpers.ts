// Shared test helpers: fresh shops, and requests signed the way Shopify signs them.
import { randomUUID } from "node:crypto";
import { TEST_API_SECRET } from "~/config.server";
import { signedWebhookRequest } from "~/shopify/webhook-signature";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { DEMO_PRODUCTS, orderPaidPayload, type DemoCustomer } from "~/demo/catalog";
import { dialectOf, type Tx } from "~/db-types";

/** A shop domain no other test uses, so tests never see each other's rows. */
export function newShopDomain(): string {
  return `test-${randomUUID().slice(0, 12)}.myshopify.com`;
}

export function webhookRequest(topic: string, shop: string, body: unknown, opts: { eventId?: string; secret?: string } = {}) {
  return signedWebhookRequest(`http://127.0.0.1:3000/webhooks/${topic}`, {
    topic,
    shop,
    body,
    secret: opts.secret ?? TEST_API_SECRET,
    eventId: opts.eventId,
  });
}

/** A webhook whose exact bytes are given (JSON numbers past 2^53, malformed bodies), signed unless `secret` is null. */
export function rawWebhookRequest(topic: string, shop: string, raw: string | Uint8Array, opts: { eventId?: string; secret?: string } = {}) {
  return signedWebhookRequest(`http://127.0.0.1:3000/webhooks/${topic}`, {
    topic,
    shop,
    raw,
    secret: opts.secret ?? TEST_API_SECRET,
    eventId: opts.eventId,
  });
}

export function proxyRequest(
  path: string,
  {
    shop,
    customerId,
    secret = TEST_API_SECRET,
    extra = {},
    now,
  }: { shop: string; customerId: string | null; secret?: string; extra?: Record<string, string>; now?: Date },
) {
  const query = signProxyQuery(new URLSearchParams(extra), { shop, customerId, secret, now });
  return new Request(`http://127.0.0.1:3000/proxy/${path}?${query}`);
}

export const customer = (id: string): DemoCustomer => ({
  id,
  firstName: "Test",
  lastName: `Customer ${id}`,
  email: `customer-${id}@example.com`,
});

/** A paid IDR order of `quantity` × the first demo product (Rp125.000 each). */
export function paidOrder(orderId: string, customerId: string | null, quantity = 2) {
  return orderPaidPayload({
    orderId,
    customer: customerId ? customer(customerId) : null,
    lines: [{ product: DEMO_PRODUCTS[0], quantity }],
    createdAt: new Date("2026-11-20T10:00:00Z"),
  });
}

export const routeArgs = (request: Request) => ({ request, params: {}, context: {} });

/** Moves every pending lot of the shop into the balance, as the sweep does once the pending period is over. */
export async function releasePending(shop: string, daysLater = 31) {
  const { default: prisma, transaction } = await import("~/db.server");
  const { releasePendingPoints } = await import("~/domain/ledger/ledger");
  const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  const later = new Date(Date.now() + daysLater * 86_400_000);
  return releasePendingPoints({ db: prisma, clock: () => later, transaction: transaction(prisma) }, { shopId: row.id });
}

/** A customer's spendable and pending points, checked against the ledger's sum. */
export async function points(shop: string, shopifyCustomerId?: string) {
  const { default: prisma } = await import("~/db.server");
  const c = await prisma.customer.findFirstOrThrow({
    where: { shop: { domain: shop }, ...(shopifyCustomerId ? { shopifyCustomerId } : {}) },
  });
  const sum = await prisma.pointsEntry.aggregate({ where: { customerId: c.id }, _sum: { points: true } });
  if (c.balance + c.pendingPoints !== (sum._sum.points ?? 0)) {
    throw new Error(`ledger out of step: balance ${c.balance} + pending ${c.pendingPoints} != sum ${sum._sum.points}`);
  }
  return { balance: c.balance, pending: c.pendingPoints };
}

/**
 * Every table of the database and its columns, in order, read from the database's own catalogue
 * (information_schema on PostgreSQL, sqlite_master on SQLite): a new table or column is listed
 * without editing a test.
 */
export async function catalogue(db: Tx): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  if (dialectOf(db) === "postgresql") {
    const rows = await db.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
      `SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  } else {
    const names = await db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    );
    for (const { name } of names) {
      const cols = await db.$queryRawUnsafe<{ name: string }[]>(`PRAGMA table_info("${name}")`);
      tables.set(
        name,
        cols.map((c) => c.name),
      );
    }
  }
  return tables;
}
