// Rows made the first time something is seen, asked for by two connections at the same instant
// (two app servers on one database, or one server's pool): every caller gets the one row, none
// answers a unique-key error. Prisma runs an upsert with an empty update as a read and an
// insert, which loses this race; these use the database's own upsert.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import prisma, { createPrisma } from "~/db.server";
import type { Db } from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { recsSettings } from "~/domain/recommendations/choices";
import { dialectOf } from "~/db-types";
import { newShopDomain } from "../helpers";

// SQLite is one app server with one connection (decision 002): there the "other" is the same client.
const sqlite = dialectOf(prisma) === "sqlite";
let other: Db;
beforeAll(async () => {
  other = sqlite ? prisma : await createPrisma();
});
afterAll(async () => {
  if (!sqlite) await other.$disconnect();
});

/** Runs `work` on both connections, `times` times each, all at once; returns the settled outcomes. */
async function atOnce<T>(times: number, work: (db: Db, i: number) => Promise<T>) {
  const runs = Array.from({ length: times * 2 }, (_, i) => work(i % 2 === 0 ? prisma : other, i));
  return Promise.allSettled(runs);
}
const failures = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes
    .filter((o): o is PromiseRejectedResult => o.status === "rejected")
    .map((o) => `${(o.reason as { code?: string }).code} ${String(o.reason).replace(/\s+/g, " ").slice(-300)}`);

describe("first sight on two connections at the same instant", () => {
  test("a shop's recommendation settings: one row, every caller answered", async () => {
    for (let round = 0; round < 5; round++) {
      const shop = await ensureShop(prisma, newShopDomain(), "IDR");
      const outcomes = await atOnce(4, (db) => recsSettings({ db }, shop.id));
      expect(failures(outcomes)).toEqual([]);
      expect(await prisma.recsState.count({ where: { shopId: shop.id } })).toBe(1);
    }
  });

  test("the same refund recorded twice (new event ids) at once: one refund row, no error", async () => {
    const { recordRefund } = await import("~/domain/earning/orders");
    for (let round = 0; round < 5; round++) {
      const domain = newShopDomain();
      await ensureShop(prisma, domain, "IDR");
      const refund = { shopifyRefundId: "77", shopifyOrderId: "66", subtotal: 100_000, currency: "IDR", refundedAt: new Date() };
      const outcomes = await atOnce(3, (db) =>
        db.$transaction((tx) => recordRefund({ db: tx as Db, clock: () => new Date() }, domain, refund)),
      );
      expect(failures(outcomes)).toEqual([]);
      expect(await prisma.refund.count({ where: { shop: { domain } } })).toBe(1);
    }
  });
});
