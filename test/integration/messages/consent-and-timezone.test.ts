// Shopify's email-marketing consent kept from the webhooks (newest wins, unreadable shapes
// ignored), and the shop's time zone stored at install.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { installShop, validTimezone } from "~/domain/shop/shops";
import { readEmailConsent } from "~/domain/members/consent";
import { newShopDomain, rawWebhookRequest, routeArgs, webhookRequest } from "../../helpers";

const ORDER = readFileSync("test/fixtures/shopify/orders-paid.json", "utf8");

const consent = (state: unknown, at: unknown, level: unknown = "single_opt_in") => ({
  state,
  opt_in_level: level,
  consent_updated_at: at,
});

async function send(topic: "customers/create" | "customers/update", shop: string, emailConsent: unknown) {
  const body = { id: 8201, email: "c-8201@example.com", first_name: "C", last_name: "D", tags: "", email_marketing_consent: emailConsent };
  const route = topic === "customers/create" ? customerCreate : customerUpdate;
  const res = await route(routeArgs(webhookRequest(topic, shop, body)));
  expect(res.status).toBe(200);
  return prisma.customer.findFirstOrThrow({
    where: { shop: { domain: shop }, shopifyCustomerId: "8201" },
    select: { emailMarketing: true, emailMarketingAt: true },
  });
}

describe("email-marketing consent", () => {
  test("readEmailConsent reads Shopify's shape and nothing else", () => {
    expect(readEmailConsent(consent("subscribed", "2026-11-01T09:05:00+07:00"))).toEqual({
      state: "SUBSCRIBED",
      updatedAt: new Date("2026-11-01T02:05:00Z"),
    });
    expect(readEmailConsent(consent("not_subscribed", null, null))).toEqual({ state: "NOT_SUBSCRIBED", updatedAt: null });
    for (const bad of [
      null,
      "subscribed",
      [],
      {},
      consent("maybe", null),
      consent(3, null),
      consent("subscribed", "yesterday"),
      consent("subscribed", 5),
    ]) {
      expect(readEmailConsent(bad)).toBeNull();
    }
  });

  test("GIVEN webhooks in any order THEN the newest consent stays; an older or unreadable one changes nothing", async () => {
    const shop = newShopDomain();
    expect(await send("customers/create", shop, consent("subscribed", "2026-11-10T10:00:00Z"))).toEqual({
      emailMarketing: "SUBSCRIBED",
      emailMarketingAt: new Date("2026-11-10T10:00:00Z"),
    });
    // An older update arriving late.
    expect(await send("customers/update", shop, consent("not_subscribed", "2026-11-01T10:00:00Z"))).toMatchObject({
      emailMarketing: "SUBSCRIBED",
    });
    // Unreadable shapes: ignored, and the webhook is still accepted.
    for (const bad of ["yes", { state: 1 }, consent("subscribed", "not a date"), consent("", null)]) {
      expect(await send("customers/update", shop, bad)).toMatchObject({ emailMarketing: "SUBSCRIBED" });
    }
    // An undated one never replaces a dated one.
    expect(await send("customers/update", shop, consent("unsubscribed", null))).toMatchObject({ emailMarketing: "SUBSCRIBED" });
    expect(await send("customers/update", shop, consent("unsubscribed", "2026-11-12T10:00:00Z"))).toEqual({
      emailMarketing: "UNSUBSCRIBED",
      emailMarketingAt: new Date("2026-11-12T10:00:00Z"),
    });
  });

  test("GIVEN an undated consent on a new customer THEN it is kept until a dated one comes", async () => {
    const shop = newShopDomain();
    expect(await send("customers/create", shop, consent("not_subscribed", null))).toEqual({
      emailMarketing: "NOT_SUBSCRIBED",
      emailMarketingAt: null,
    });
    expect(await send("customers/update", shop, undefined)).toMatchObject({ emailMarketing: "NOT_SUBSCRIBED" });
    expect(await send("customers/update", shop, consent("subscribed", "2026-11-12T10:00:00Z"))).toMatchObject({
      emailMarketing: "SUBSCRIBED",
    });
  });

  test("GIVEN Shopify's orders/paid sample THEN the customer's consent is kept from the order", async () => {
    const shop = newShopDomain();
    expect((await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, ORDER)))).status).toBe(200);
    const c = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(c).toMatchObject({ emailMarketing: "SUBSCRIBED", emailMarketingAt: new Date("2026-11-01T02:05:00Z") });
  });
});

describe("the shop's time zone", () => {
  test("validTimezone keeps a zone the runtime knows, else UTC", () => {
    expect(validTimezone("Asia/Jakarta")).toBe("Asia/Jakarta");
    expect(validTimezone("America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    for (const bad of ["Mars/Olympus", "", null, undefined, "x".repeat(100)]) expect(validTimezone(bad)).toBe("UTC");
  });

  test("GIVEN an install THEN Shop.timezone is Shopify's ianaTimezone; a reinstall takes the current one; an unknown one is UTC", async () => {
    const shop = newShopDomain();
    const zone = () => prisma.shop.findUniqueOrThrow({ where: { domain: shop }, select: { timezone: true } }).then((s) => s.timezone);
    await installShop(prisma, shop, { name: "Toko", currencyCode: "IDR", ianaTimezone: "Asia/Makassar" }, new Date());
    expect(await zone()).toBe("Asia/Makassar");
    await installShop(prisma, shop, { name: "Toko", currencyCode: "IDR", ianaTimezone: "Asia/Jakarta" }, new Date());
    expect(await zone()).toBe("Asia/Jakarta");
    await installShop(prisma, shop, { name: "Toko", currencyCode: "IDR", ianaTimezone: "Nowhere/Land" }, new Date());
    expect(await zone()).toBe("UTC");
  });
});
