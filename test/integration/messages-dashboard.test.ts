// The dashboard's Messages figures: sends and opens of the period, conversions (a paid order
// within the shop's conversion window after a sent message) against held-out customers who had
// the same kind of event, and a shop that never sent a message skips the queries.
import { describe, expect, test, vi } from "vitest";
import prisma from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { messagesReport } from "~/domain/analytics/messages";
import { newShopDomain } from "../helpers";

const FROM = new Date("2026-11-01T00:00:00Z");
const TO = new Date("2026-12-01T00:00:00Z");
const at = (iso: string) => new Date(iso);

async function fixture(conversionDays = 7) {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "IDR");
  await prisma.shop.update({ where: { id: shop.id }, data: { messages: { conversionDays } } });
  const customer = async (key: string, holdout = false) =>
    (await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: key, holdout, email: `${key}@example.com` } })).id;
  let n = 0;
  const order = (customerId: string, iso: string, paid = true, cancelled = false) =>
    prisma.order.create({
      data: {
        shopId: shop.id,
        shopifyOrderId: String(++n),
        customerId,
        currency: "IDR",
        subtotalMinor: 100n,
        totalMinor: 100n,
        orderedAt: at(iso),
        paidAt: paid ? at(iso) : null,
        cancelledAt: cancelled ? at(iso) : null,
      },
    });
  const event = (customerId: string, type: string, iso: string, payload: object = {}) =>
    prisma.customerEvent.create({ data: { shopId: shop.id, customerId, type, key: `${type}:${++n}`, payload, createdAt: at(iso) } });
  const send = async (
    customerId: string | null,
    message: string,
    iso: string | null,
    more: { status?: string; openedAt?: Date; test?: boolean; channel?: string } = {},
  ) => {
    const e = more.test
      ? null
      : await event(
          customerId ?? (await customer(`x${++n}`)),
          message === "welcome" ? "member_joined" : message,
          iso ?? "2026-11-02T00:00:00Z",
        );
    return prisma.messageSend.create({
      data: {
        shopId: shop.id,
        customerId,
        eventId: e?.id ?? null,
        channel: more.channel ?? "email",
        message,
        key: `${more.test ? "test" : (more.channel ?? "email")}:${++n}`,
        status: more.status ?? "sent",
        sentAt: iso ? at(iso) : null,
        openedAt: more.openedAt ?? null,
      },
    });
  };
  return { domain, shopId: shop.id, customer, order, event, send };
}

describe("dashboard: messages", () => {
  test("counts sends, opens and conversions within the window; compares with the holdout's same events", async () => {
    const f = await fixture(7);
    const [ana, budi, citra, dewi] = [
      await f.customer("ana"),
      await f.customer("budi"),
      await f.customer("citra"),
      await f.customer("dewi"),
    ];
    // ana: welcomed, opened, ordered 3 days later -> converted
    await f.send(ana, "welcome", "2026-11-05T10:00:00Z", { openedAt: at("2026-11-05T11:00:00Z") });
    await f.order(ana, "2026-11-08T10:00:00Z");
    // budi: an order 8 days later is outside the 7-day window; an earlier order does not count
    await f.send(budi, "welcome", "2026-11-10T10:00:00Z");
    await f.order(budi, "2026-11-09T10:00:00Z");
    await f.order(budi, "2026-11-18T10:00:01Z");
    // citra: points expiring, ordered within the window but the order was cancelled; and one unpaid
    await f.send(citra, "points_expiring", "2026-11-20T10:00:00Z");
    await f.order(citra, "2026-11-21T10:00:00Z", true, true);
    await f.order(citra, "2026-11-22T10:00:00Z", false);
    // dewi: messaged near the period's end, converts after it (within the window)
    await f.send(dewi, "points_expiring", "2026-11-30T20:00:00Z");
    await f.order(dewi, "2026-12-03T10:00:00Z");
    // Not counted: a failed and a skipped send, a test send, a Klaviyo delivery, a send before the period, the merchant's alert
    await f.send(budi, "welcome", "2026-11-12T10:00:00Z", { status: "failed" });
    await f.send(budi, "points_expiring", null, { status: "skipped" });
    await f.send(null, "welcome", "2026-11-12T10:00:00Z", { test: true });
    await f.send(ana, "welcome", "2026-11-12T10:00:00Z", { channel: "klaviyo" });
    await f.send(citra, "welcome", "2026-10-30T10:00:00Z");
    await f.send(null, "detractor_alert", "2026-11-12T10:00:00Z");
    // The holdout: two held out with a welcome-type event in the period (one converts), one with
    // an event of a kind not messaged in the period, one whose event was before the period.
    const [h1, h2, h3, h4] = [
      await f.customer("h1", true),
      await f.customer("h2", true),
      await f.customer("h3", true),
      await f.customer("h4", true),
    ];
    await f.event(h1, "member_joined", "2026-11-03T00:00:00Z");
    await f.order(h1, "2026-11-04T00:00:00Z");
    await f.event(h2, "member_joined", "2026-11-15T00:00:00Z");
    await f.order(h2, "2026-11-30T00:00:00Z");
    await f.event(h3, "win_back", "2026-11-15T00:00:00Z", { from: "active", to: "at_risk" });
    await f.event(h4, "member_joined", "2026-10-15T00:00:00Z");

    const report = await messagesReport({ db: prisma }, { shopDomain: f.domain, from: FROM, to: TO });
    expect(report).toMatchObject({
      anySent: true,
      conversionDays: 7,
      sent: 4,
      opened: 1,
      openRate: 25,
      messaged: { customers: 4, converted: 2, rate: 50 },
      holdout: { customers: 2, converted: 1, rate: 50 },
      verdict: "too_few_customers",
    });
    expect(report.difference?.points).toBe(0);
    expect(report.difference!.low).toBeLessThan(0);
    expect(report.difference!.high).toBeGreaterThan(0);
    expect(report.byMessage).toEqual([
      { message: "welcome", sent: 2, opened: 1, customers: 2, converted: 1 },
      { message: "points_expiring", sent: 2, opened: 0, customers: 2, converted: 1 },
    ]);

    // A longer window turns budi's order into a conversion.
    await prisma.shop.update({ where: { id: f.shopId }, data: { messages: { conversionDays: 9 } } });
    const longer = await messagesReport({ db: prisma }, { shopDomain: f.domain, from: FROM, to: TO });
    expect(longer.messaged).toEqual({ customers: 4, converted: 3, rate: 75 });
    expect(longer.holdout).toEqual({ customers: 2, converted: 1, rate: 50 });
  });

  test("says there is no holdout when no held-out customer had such an event; a tier change down is no tier-up", async () => {
    const f = await fixture();
    const ana = await f.customer("ana");
    await f.send(ana, "welcome", "2026-11-05T10:00:00Z");
    const h = await f.customer("h", true);
    await f.event(h, "tier_changed", "2026-11-05T00:00:00Z", { direction: "down" });
    const report = await messagesReport({ db: prisma }, { shopDomain: f.domain, from: FROM, to: TO });
    expect(report).toMatchObject({ sent: 1, messaged: { customers: 1, converted: 0, rate: 0 }, holdout: { customers: 0, rate: null } });
    expect(report.verdict).toBe("no_holdout");
    expect(report.difference).toBeNull();
  });

  test("a shop that never sent a message skips the queries; another shop's sends never count", async () => {
    const other = await fixture();
    const c = await other.customer("ana");
    await other.send(c, "welcome", "2026-11-05T10:00:00Z");
    const f = await fixture();
    await f.send(null, "welcome", "2026-11-05T10:00:00Z", { test: true });
    const raw = vi.spyOn(prisma, "$queryRaw");
    const report = await messagesReport({ db: prisma }, { shopDomain: f.domain, from: FROM, to: TO });
    expect(raw).not.toHaveBeenCalled();
    raw.mockRestore();
    expect(report).toMatchObject({ anySent: false, sent: 0, byMessage: [], verdict: "no_holdout" });
    expect((await messagesReport({ db: prisma }, { shopDomain: other.domain, from: FROM, to: TO })).sent).toBe(1);
    await expect(messagesReport({ db: prisma }, { shopDomain: f.domain, from: TO, to: FROM })).rejects.toThrow(RangeError);
  });
});
