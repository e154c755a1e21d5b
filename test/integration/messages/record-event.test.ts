import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { EVENTS_PER_INSERT, recordEvent, recordEvents } from "~/domain/messages/events";
import { newShopDomain } from "../../helpers";

describe("recordEvent", () => {
  test("records once per key, inside a transaction too, with the payload and time given", async () => {
    const { id: shopId } = await ensureShop(prisma, newShopDomain(), "IDR");
    const c = await prisma.customer.create({ data: { shopId, shopifyCustomerId: "901" } });
    const at = new Date("2026-05-01T10:00:00.123Z");
    expect(await recordEvent(prisma, shopId, c.id, "points_available", "k1", { points: 5 }, at)).toBe(true);
    expect(await recordEvent(prisma, shopId, c.id, "points_available", "k1", { points: 6 }, at)).toBe(false);
    // A duplicate inside a transaction leaves the transaction usable (no aborted transaction on PostgreSQL).
    const after = await transaction(prisma)(async (tx) => {
      await tx.$executeRaw`INSERT INTO "CustomerEvent" ("id", "shopId", "customerId", "type", "key", "payload", "createdAt") VALUES ('x-dup', ${shopId}, ${c.id}, 'points_available', 'k2', '{}', ${at})`;
      const again = await recordEvent(tx, shopId, null, "detractor_alert", "k2", {
        responseId: "r",
        shopifyOrderId: "1",
        score: 1,
        kind: "nps",
        comment: null,
      });
      return { again, n: await tx.customerEvent.count({ where: { shopId } }) };
    });
    expect(after).toEqual({ again: false, n: 2 });
    const row = await prisma.customerEvent.findUniqueOrThrow({ where: { shopId_key: { shopId, key: "k1" } } });
    expect(row).toMatchObject({ type: "points_available", customerId: c.id, payload: { points: 5 }, routedAt: null });
    expect(row.createdAt.toISOString()).toBe(at.toISOString());
  });

  test("recordEvents writes many at once, each key once: keys already there and repeated keys are skipped", async () => {
    const { id: shopId } = await ensureShop(prisma, newShopDomain(), "IDR");
    const c = await prisma.customer.create({ data: { shopId, shopifyCustomerId: "902" } });
    const at = new Date("2026-05-02T08:00:00.456Z");
    await recordEvent(prisma, shopId, c.id, "win_back", "w-0", { from: "active", to: "lapsed" }, at);
    // More than two inserts' worth, with one key already recorded and one given twice.
    const keys = Array.from({ length: EVENTS_PER_INSERT * 2 + 5 }, (_, i) => `w-${i}`);
    const events = [...keys, "w-7"].map((key) => ({
      customerId: c.id,
      type: "win_back" as const,
      key,
      payload: { from: "loyal", to: "at_risk" as const },
    }));
    expect(await recordEvents(prisma, shopId, events, at)).toBe(keys.length - 1);
    expect(await recordEvents(prisma, shopId, events, at)).toBe(0);
    expect(await prisma.customerEvent.count({ where: { shopId } })).toBe(keys.length);
    const row = await prisma.customerEvent.findUniqueOrThrow({ where: { shopId_key: { shopId, key: "w-200" } } });
    expect(row).toMatchObject({ type: "win_back", customerId: c.id, payload: { from: "loyal", to: "at_risk" }, routedAt: null });
    expect(row.createdAt.toISOString()).toBe(at.toISOString());
    // The one recorded before keeps its payload.
    expect((await prisma.customerEvent.findUniqueOrThrow({ where: { shopId_key: { shopId, key: "w-0" } } })).payload).toEqual({
      from: "active",
      to: "lapsed",
    });
  });
});
