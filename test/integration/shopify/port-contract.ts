// The one contract every ShopifyAdmin implementation keeps: run by port.test.ts against the
// in-memory store and against the GraphQL implementation talking to a fake Shopify over msw.
import { describe, expect, test } from "vitest";
import { isCodeTaken, ShopifyAdminError } from "~/shopify/admin/errors";
import type { LocalProduct } from "~/shopify/admin/local-store.server";
import {
  ALL_ORDERS_SCOPE,
  type AdminOrder,
  type CreateDiscountCodeInput,
  type DiscountReward,
  type ShopifyAdmin,
} from "~/shopify/admin/port";

export interface PortHarness {
  admin: ShopifyAdmin;
  /** What shopInfo() should answer. */
  shop: { name: string; currencyCode: string; ianaTimezone: string };
  addOrder(order: AdminOrder): void;
  setProduct(productId: string, facts: LocalProduct): void;
  /** The merchant deletes the product in Shopify (its metafields go with it). */
  deleteProduct(productId: string): void;
  /** A product's kembali.also_bought metafield as numeric product ids, in order (null: none). */
  alsoBought(productId: string): string[] | null;
  /** The live theme's config/settings_data.json, or null for no live theme. */
  setThemeSettings(content: string | null): void;
  /** The access scopes the shop has granted the app. */
  setAccessScopes(handles: string[]): void;
  /** A checkout (of this customer, when given) used the code; throws when the shop would refuse it. */
  markDiscountUsed(discountId: string, customerId?: string): void;
  /** What the discount gives as the shop holds it (fixed amounts in minor units). */
  discountReward(discountId: string): { type: "fixed_amount"; amount: number } | { type: "percentage"; percent: number } | undefined;
  /** Who may use the code, as the shop holds it: a customer's numeric id, or "all". */
  discountBuyers(discountId: string): string | undefined;
  /** The next mutation is refused by "Shopify" with this message. */
  refuseNext(message: string): void;
  /** What the shop now holds for a customer, read from the implementation's side. */
  metafields(customerId: string): { balance?: number; tier?: string; holdout?: boolean };
  tags(customerId: string): string[];
  /** The shop's kembali.best_sellers metafield as numeric product ids (null: none). */
  bestSellers(): string[] | null;
  /** The shop's kembali.appearance metafield, parsed, or undefined when never written. */
  appearance(): unknown;
  /** The app's web pixel settings on the shop, parsed, or undefined when it has no pixel. */
  webPixelSettings(): unknown;
  /** Whether the customer gets the automatic discount at checkout now (on, and in its segment). */
  getsAutomaticDiscount(discountId: string, customerId: string): boolean;
  storeCredits(customerId: string): Array<{ amount: number; currency: string; expiresAt: Date | null }>;
  /** The Flow triggers the shop received, oldest first, payloads as sent. */
  flowTriggers(): Array<{ handle: string; payload: Record<string, unknown> }>;
}

const DAY = 86_400_000;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

let codes = 0;
function discount(overrides: Partial<CreateDiscountCodeInput> = {}): CreateDiscountCodeInput {
  codes += 1;
  return {
    code: `KMB-${codes}`,
    title: "Kembali reward",
    reward: { type: "fixed_amount", amount: 2_500_000 },
    customerId: "7001",
    startsAt: hoursAgo(1),
    endsAt: new Date(Date.now() + 30 * DAY),
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    currency: "IDR",
    ...overrides,
  };
}

function order(id: string, overrides: Partial<AdminOrder> = {}): AdminOrder {
  const createdAt = new Date(Date.UTC(2026, 10, 1) + Number(id) * 60_000);
  return {
    id,
    customer: { id: "7001", email: "siti@example.com", firstName: "Siti", lastName: "Rahayu" },
    currency: "IDR",
    subtotal: 25_000_000,
    total: 27_750_000,
    shipping: 0,
    tax: 2_750_000,
    createdAt,
    processedAt: createdAt,
    updatedAt: createdAt,
    cancelledAt: null,
    financialStatus: "PAID",
    lineItems: [{ productId: "8001", variantId: "9001", title: "Kopi Gayo 250 g", quantity: 2, price: 12_500_000 }],
    refunds: [],
    truncated: false,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ShopifyAdminError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShopifyAdminError);
  return error as ShopifyAdminError;
}

async function allOrders(admin: ShopifyAdmin, first: number, updatedSince?: Date) {
  const pages: AdminOrder[][] = [];
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<ShopifyAdmin["listOrders"]>> = await admin.listOrders({
      first,
      after,
      updatedSince,
    });
    pages.push(page.orders);
    after = page.nextCursor;
  } while (after !== null && pages.length < 20);
  return pages;
}

export function portContract(name: string, makePort: () => PortHarness) {
  describe(`ShopifyAdmin contract: ${name}`, () => {
    test("GIVEN a shop THEN shopInfo tells its name, currency and time zone", async () => {
      const port = makePort();
      expect(await port.admin.shopInfo()).toEqual(port.shop);
    });

    const rewards: Array<[string, DiscountReward]> = [
      ["fixed amount", { type: "fixed_amount", amount: 2_500_000 }],
      ["percentage", { type: "percentage", percent: 15 }],
      ["free shipping", { type: "free_shipping" }],
      ["free product", { type: "free_product", variantId: "9001", value: 4_500_000 }],
    ];
    test.each(rewards)("GIVEN a %s reward WHEN its code is created THEN it is active and unused", async (_, reward) => {
      const port = makePort();
      const input = discount({ reward, minimumSubtotal: 10_000_000 });
      const created = await port.admin.createDiscountCode(input);
      expect(created.code).toBe(input.code);
      expect(created.discountId).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
      expect(await port.admin.discountUsage(created.discountId)).toEqual({ usageCount: 0, status: "ACTIVE" });
    });

    test("GIVEN a customer WHEN a code is created THEN only that customer may use it; without one, any buyer may", async () => {
      const port = makePort();
      const mine = await port.admin.createDiscountCode(discount({ customerId: "7001" }));
      expect(port.discountBuyers(mine.discountId)).toBe("7001");
      const guest = await port.admin.createDiscountCode(discount({ customerId: undefined, reward: { type: "percentage", percent: 10 } }));
      expect(port.discountBuyers(guest.discountId)).toBe("all");
      expect(await port.admin.discountUsage(guest.discountId)).toEqual({ usageCount: 0, status: "ACTIVE" });
      const { customerId: _, ...withoutCustomer } = discount({ reward: { type: "free_shipping" } });
      const shipping = await port.admin.createDiscountCode(withoutCustomer);
      expect(port.discountBuyers(shipping.discountId)).toBe("all");
    });

    test("GIVEN a code WHEN a checkout uses it THEN its usage count is 1", async () => {
      const port = makePort();
      const { discountId } = await port.admin.createDiscountCode(discount());
      port.markDiscountUsed(discountId);
      expect(await port.admin.discountUsage(discountId)).toEqual({ usageCount: 1, status: "ACTIVE" });
    });

    test("GIVEN a code already in the shop WHEN the same code (in any case) is created THEN it is rejected", async () => {
      const port = makePort();
      const first = discount();
      const { discountId } = await port.admin.createDiscountCode(first);
      const error = await rejection(port.admin.createDiscountCode(discount({ code: first.code.toLowerCase() })));
      expect(error.kind).toBe("rejected");
      expect(error.userErrors.map((e) => e.message).join(" ")).toMatch(/unique/i);
      expect(isCodeTaken(error)).toBe(true);
      expect(await port.admin.discountUsage(discountId)).toEqual({ usageCount: 0, status: "ACTIVE" });
    });

    test("GIVEN a code for any buyer once each WHEN two customers use it THEN each may once, not twice", async () => {
      const port = makePort();
      const { customerId: _, ...anyBuyer } = discount({ reward: { type: "percentage", percent: 10 }, endsAt: null });
      const { discountId } = await port.admin.createDiscountCode({ ...anyBuyer, usage: "once_per_customer" });
      expect(port.discountBuyers(discountId)).toBe("all");
      port.markDiscountUsed(discountId, "7011");
      port.markDiscountUsed(discountId, "7012");
      expect(() => port.markDiscountUsed(discountId, "7011")).toThrow(/already used/);
      expect(await port.admin.discountUsage(discountId)).toEqual({ usageCount: 2, status: "ACTIVE" });
      // The default is once overall.
      const once = await port.admin.createDiscountCode(discount({ customerId: undefined }));
      port.markDiscountUsed(once.discountId, "7011");
      expect(() => port.markDiscountUsed(once.discountId, "7012")).toThrow(/already used/);
    });

    test("GIVEN a code WHEN looked up by code in any case THEN its id and title come back; an unknown code is null", async () => {
      const port = makePort();
      const input = discount({ title: "Kembali referral code ABCD2345" });
      const { discountId } = await port.admin.createDiscountCode(input);
      expect(await port.admin.discountByCode(input.code.toLowerCase())).toEqual({ discountId, title: "Kembali referral code ABCD2345" });
      expect(await port.admin.discountByCode("NO-SUCH-CODE")).toBeNull();
    });

    test("GIVEN a basic code WHEN updated THEN it has the new code, title and reward, keeps its id and uses; the old code is free", async () => {
      const port = makePort();
      const input = discount({
        customerId: undefined,
        reward: { type: "percentage", percent: 10 },
        endsAt: null,
        usage: "once_per_customer",
      });
      const { discountId } = await port.admin.createDiscountCode(input);
      port.markDiscountUsed(discountId, "7021");
      expect(port.discountReward(discountId)).toEqual({ type: "percentage", percent: 10 });
      await port.admin.updateDiscountCode(discountId, {
        code: `${input.code}-B`,
        title: "Renamed",
        reward: { type: "fixed_amount", amount: 5_000_000 },
        endsAt: null,
        currency: "IDR",
      });
      expect(port.discountReward(discountId)).toEqual({ type: "fixed_amount", amount: 5_000_000 });
      expect(await port.admin.discountByCode(`${input.code}-B`)).toEqual({ discountId, title: "Renamed" });
      expect(await port.admin.discountByCode(input.code)).toBeNull();
      expect(await port.admin.discountUsage(discountId)).toEqual({ usageCount: 1, status: "ACTIVE" });
      // The same values again change nothing.
      await port.admin.updateDiscountCode(discountId, {
        code: `${input.code}-B`,
        title: "Renamed",
        reward: { type: "fixed_amount", amount: 5_000_000 },
        endsAt: null,
        currency: "IDR",
      });
      expect(await port.admin.discountByCode(`${input.code}-B`)).toEqual({ discountId, title: "Renamed" });
    });

    test("GIVEN a deactivated code WHEN updated with no end THEN it is ACTIVE again", async () => {
      const port = makePort();
      const input = discount({
        customerId: undefined,
        reward: { type: "percentage", percent: 10 },
        endsAt: null,
        usage: "once_per_customer",
      });
      const { discountId } = await port.admin.createDiscountCode(input);
      await port.admin.deactivateDiscount(discountId);
      expect((await port.admin.discountUsage(discountId)).status).toBe("EXPIRED");
      await port.admin.updateDiscountCode(discountId, {
        code: input.code,
        title: input.title,
        reward: { type: "percentage", percent: 10 },
        endsAt: null,
        currency: "IDR",
      });
      expect((await port.admin.discountUsage(discountId)).status).toBe("ACTIVE");
    });

    test("GIVEN a code another discount has WHEN a discount is updated to it THEN it is rejected as taken and nothing changes", async () => {
      const port = makePort();
      const mine = discount({ reward: { type: "percentage", percent: 10 } });
      const theirs = discount({ title: "The merchant's own" });
      const { discountId } = await port.admin.createDiscountCode(mine);
      await port.admin.createDiscountCode(theirs);
      const error = await rejection(
        port.admin.updateDiscountCode(discountId, {
          code: theirs.code.toLowerCase(),
          title: mine.title,
          reward: { type: "percentage", percent: 20 },
          endsAt: null,
          currency: "IDR",
        }),
      );
      expect(isCodeTaken(error)).toBe(true);
      expect(port.discountReward(discountId)).toEqual({ type: "percentage", percent: 10 });
      expect(await port.admin.discountByCode(mine.code)).toEqual({ discountId, title: mine.title });
      expect(
        (
          await rejection(
            port.admin.updateDiscountCode("gid://shopify/DiscountCodeNode/999999", {
              code: "X-1",
              title: "X",
              reward: { type: "percentage", percent: 5 },
              endsAt: null,
              currency: "IDR",
            }),
          )
        ).kind,
      ).toBe("rejected");
    });

    test("GIVEN a percentage over 100 WHEN the code is created THEN it is rejected", async () => {
      const port = makePort();
      const error = await rejection(port.admin.createDiscountCode(discount({ reward: { type: "percentage", percent: 150 } })));
      expect(error.kind).toBe("rejected");
    });

    test("GIVEN a start in the future THEN the code is SCHEDULED", async () => {
      const port = makePort();
      const { discountId } = await port.admin.createDiscountCode(discount({ startsAt: new Date(Date.now() + DAY), endsAt: null }));
      expect((await port.admin.discountUsage(discountId)).status).toBe("SCHEDULED");
    });

    test("GIVEN an active code WHEN it is deactivated THEN it is EXPIRED", async () => {
      const port = makePort();
      const { discountId } = await port.admin.createDiscountCode(discount());
      await port.admin.deactivateDiscount(discountId);
      expect(await port.admin.discountUsage(discountId)).toEqual({ usageCount: 0, status: "EXPIRED" });
    });

    test("GIVEN a discount id the shop does not have THEN deactivating is rejected and usage is not_found", async () => {
      const port = makePort();
      const missing = "gid://shopify/DiscountCodeNode/999999";
      expect((await rejection(port.admin.deactivateDiscount(missing))).kind).toBe("rejected");
      expect((await rejection(port.admin.discountUsage(missing))).kind).toBe("not_found");
    });

    test("GIVEN a customer id that is not numeric THEN nothing is created", async () => {
      const port = makePort();
      await expect(port.admin.createDiscountCode(discount({ customerId: "gid://shopify/Customer/7001" }))).rejects.toThrow(RangeError);
      await expect(port.admin.creditStoreCredit({ customerId: "abc", amount: 100, currency: "IDR" })).rejects.toThrow(RangeError);
    });

    test("GIVEN store credit WHEN credited twice THEN both credits are kept with their amounts and expiry", async () => {
      const port = makePort();
      const expiresAt = new Date(Date.UTC(2030, 0, 1));
      const a = await port.admin.creditStoreCredit({
        customerId: "7002",
        amount: 5_000_000,
        currency: "IDR",
        expiresAt,
      });
      const b = await port.admin.creditStoreCredit({ customerId: "7002", amount: 150, currency: "IDR" });
      expect(a.transactionId).toMatch(/^\d+$/);
      expect(b.transactionId).not.toBe(a.transactionId);
      expect(port.storeCredits("7002")).toEqual([
        { amount: 5_000_000, currency: "IDR", expiresAt },
        { amount: 150, currency: "IDR", expiresAt: null },
      ]);
      expect(port.storeCredits("7003")).toEqual([]);
    });

    test("GIVEN a zero amount or a past expiry THEN store credit is rejected and nothing is credited", async () => {
      const port = makePort();
      const zero = await rejection(port.admin.creditStoreCredit({ customerId: "7004", amount: 0, currency: "IDR" }));
      const past = await rejection(
        port.admin.creditStoreCredit({ customerId: "7004", amount: 100, currency: "IDR", expiresAt: hoursAgo(1) }),
      );
      expect([zero.kind, past.kind]).toEqual(["rejected", "rejected"]);
      expect(port.storeCredits("7004")).toEqual([]);
    });

    test("GIVEN Shopify refuses a mutation THEN it is rejected with Shopify's message and nothing changes", async () => {
      const port = makePort();
      port.refuseNext("Customer is not eligible");
      const error = await rejection(port.admin.creditStoreCredit({ customerId: "7005", amount: 100, currency: "IDR" }));
      expect(error.kind).toBe("rejected");
      expect(error.message).toContain("Customer is not eligible");
      expect(port.storeCredits("7005")).toEqual([]);
      await port.admin.creditStoreCredit({ customerId: "7005", amount: 100, currency: "IDR" });
      expect(port.storeCredits("7005")).toHaveLength(1);
    });

    test("GIVEN paid and unpaid orders WHEN listed two at a time THEN every paid order comes once, oldest first", async () => {
      const port = makePort();
      const refunded = order("104", {
        financialStatus: "PARTIALLY_REFUNDED",
        refunds: [{ id: "6001", createdAt: new Date(Date.UTC(2026, 10, 3)), subtotal: 12_500_000 }],
      });
      const guest = order("102", { customer: null });
      const orders = [
        order("105"),
        order("101"),
        guest,
        refunded,
        order("103", { financialStatus: "PENDING" }),
        order("106", { financialStatus: "REFUNDED" }),
      ];
      orders.forEach((o) => port.addOrder(o));

      const pages = await allOrders(port.admin, 2);
      expect(pages.map((p) => p.map((o) => o.id))).toEqual([["101", "102"], ["104", "105"], ["106"]]);
      expect(pages.flat().find((o) => o.id === "104")).toEqual(refunded);
      expect(pages.flat().find((o) => o.id === "102")).toEqual(guest);
    });

    test("GIVEN orders updated at different times WHEN listed since a time THEN only later updates come, by update time", async () => {
      const port = makePort();
      const at = (day: number) => new Date(Date.UTC(2026, 10, day));
      port.addOrder(order("201", { updatedAt: at(20) }));
      port.addOrder(order("202", { updatedAt: at(5) }));
      port.addOrder(order("203", { updatedAt: at(15) }));
      port.addOrder(order("204", { updatedAt: at(10) }));

      const pages = await allOrders(port.admin, 2, at(10));
      expect(pages.flat().map((o) => o.id)).toEqual(["204", "203", "201"]);
    });

    test("GIVEN the scopes the shop granted THEN accessScopes answers their handles", async () => {
      const port = makePort();
      expect(await port.admin.accessScopes()).toContain(ALL_ORDERS_SCOPE);
      port.setAccessScopes(["read_orders", "read_customers"]);
      expect((await port.admin.accessScopes()).sort()).toEqual(["read_customers", "read_orders"]);
    });

    test("GIVEN orders older than 60 days WHEN read_all_orders is not granted THEN only the last 60 days' orders come; granted, all do", async () => {
      const port = makePort();
      const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
      for (const [id, days] of [
        ["301", 400],
        ["302", 61],
        ["303", 59],
        ["304", 1],
      ] as const) {
        port.addOrder(order(id, { createdAt: daysAgo(days), processedAt: daysAgo(days), updatedAt: daysAgo(days) }));
      }
      port.setAccessScopes(["read_orders"]);
      expect((await allOrders(port.admin, 2)).flat().map((o) => o.id)).toEqual(["303", "304"]);
      port.setAccessScopes(["read_orders", ALL_ORDERS_SCOPE]);
      expect((await allOrders(port.admin, 2)).flat().map((o) => o.id)).toEqual(["301", "302", "303", "304"]);
    });

    test("GIVEN no paid orders THEN the list is empty with no next cursor", async () => {
      const port = makePort();
      expect(await port.admin.listOrders({ first: 10 })).toEqual({ orders: [], nextCursor: null });
    });

    test("GIVEN 30 members WHEN their balances and tiers are written THEN each customer carries both", async () => {
      const port = makePort();
      const items = Array.from({ length: 30 }, (_, i) => ({
        customerId: String(7100 + i),
        balance: i * 10,
        tier: i % 2 ? "Gold" : null,
      }));
      await port.admin.setCustomerMetafields(items);
      expect(port.metafields("7100")).toEqual({ balance: 0 });
      expect(port.metafields("7101")).toEqual({ balance: 10, tier: "Gold" });
      expect(port.metafields("7129")).toEqual({ balance: 290, tier: "Gold" });
    });

    test("GIVEN a held-out customer THEN kembali.holdout is written; left out, it stays as it was", async () => {
      const port = makePort();
      await port.admin.setCustomerMetafields([{ customerId: "7250", balance: 0, tier: null, holdout: true }]);
      expect(port.metafields("7250")).toEqual({ balance: 0, holdout: true });
      await port.admin.setCustomerMetafields([{ customerId: "7250", balance: 0, tier: null }]);
      expect(port.metafields("7250")).toEqual({ balance: 0, holdout: true });
      await port.admin.setCustomerMetafields([{ customerId: "7250", balance: 5, tier: null, holdout: false }]);
      expect(port.metafields("7250")).toEqual({ balance: 5, holdout: false });
    });

    test("GIVEN a tier already written WHEN the balance changes with tier null THEN the tier stays", async () => {
      const port = makePort();
      await port.admin.setCustomerMetafields([{ customerId: "7200", balance: 500, tier: "Silver" }]);
      await port.admin.setCustomerMetafields([{ customerId: "7200", balance: 450, tier: null }]);
      expect(port.metafields("7200")).toEqual({ balance: 450, tier: "Silver" });
    });

    test("GIVEN best sellers WHEN written THEN the shop's metafield lists them in order; a new list replaces it", async () => {
      const port = makePort();
      expect(port.bestSellers()).toBeNull();
      await port.admin.setBestSellers(["8006", "8001", "8005"]);
      expect(port.bestSellers()).toEqual(["8006", "8001", "8005"]);
      await port.admin.setBestSellers(["8001", "8006"]);
      expect(port.bestSellers()).toEqual(["8001", "8006"]);
    });

    test("GIVEN best sellers written WHEN the list is empty THEN the metafield is removed", async () => {
      const port = makePort();
      await port.admin.setBestSellers(["8002"]);
      await port.admin.setBestSellers([]);
      expect(port.bestSellers()).toBeNull();
      await port.admin.setBestSellers([]);
      expect(port.bestSellers()).toBeNull();
    });

    test("GIVEN a product id that is not numeric THEN no best sellers are written", async () => {
      const port = makePort();
      await port.admin.setBestSellers(["8001"]);
      await expect(port.admin.setBestSellers(["8002", "gid://shopify/Product/8003"])).rejects.toThrow(RangeError);
      expect(port.bestSellers()).toEqual(["8001"]);
    });

    test("GIVEN no pixel WHEN connected THEN the shop has the pixel with the settings; connecting again updates the same pixel", async () => {
      const port = makePort();
      expect(port.webPixelSettings()).toBeUndefined();
      const first = await port.admin.connectWebPixel({ shopKey: "key-one" });
      expect(port.webPixelSettings()).toEqual({ shopKey: "key-one" });
      const again = await port.admin.connectWebPixel({ shopKey: "key-two" });
      expect(again.webPixelId).toBe(first.webPixelId);
      expect(port.webPixelSettings()).toEqual({ shopKey: "key-two" });
    });

    test("GIVEN settings the pixel's definition refuses THEN connecting is rejected and nothing is connected", async () => {
      const port = makePort();
      expect((await rejection(port.admin.connectWebPixel({ shopKey: "" }))).kind).toBe("rejected");
      expect(port.webPixelSettings()).toBeUndefined();
    });

    test("GIVEN a tier change WHEN the customer is re-tagged THEN the old tier tag goes, the new one and others stay", async () => {
      const port = makePort();
      await port.admin.tagCustomer("7300", ["kembali-member", "kembali-silver"], []);
      await port.admin.tagCustomer("7300", ["kembali-gold"], ["kembali-silver"]);
      expect(port.tags("7300").sort()).toEqual(["kembali-gold", "kembali-member"]);
    });

    test("GIVEN products with tags and collections THEN productFacts tells them; unknown ids are left out", async () => {
      const h = makePort();
      h.setProduct("8001", { tags: ["kopi", "arabica"], collectionIds: ["445566"] });
      h.setProduct("8006", { tags: ["gift-card"], collectionIds: [] });
      const ids = ["8001", "8006", "9999", ...Array.from({ length: 30 }, (_, i) => String(20_000 + i))];
      expect(await h.admin.productFacts(ids)).toEqual([
        { productId: "8001", tags: ["kopi", "arabica"], collectionIds: ["445566"] },
        { productId: "8006", tags: ["gift-card"], collectionIds: [] },
      ]);
    });

    test("GIVEN products THEN productCards tells title, handle, image, lowest price and whether each can be bought; deleted ones are left out", async () => {
      const h = makePort();
      const image = { imageUrl: "https://cdn.example/kopi.jpg", imageAlt: "A bag of kopi" };
      h.setProduct("8001", { tags: [], collectionIds: [], title: "Kopi Gayo", handle: "kopi-gayo", price: 125_000, ...image });
      h.setProduct("8002", { tags: [], collectionIds: [], title: "Toraja", handle: "toraja", price: 135_000, inStock: false });
      h.setProduct("8003", { tags: [], collectionIds: [], title: "Draft", handle: "draft", price: 1_000, status: "DRAFT" });
      h.setProduct("8004", { tags: [], collectionIds: [], title: "Hidden", handle: "hidden", price: 2_000, published: false });
      // More ids than one query may carry (Shopify's cost limit), in a single call.
      const unknown = Array.from({ length: 240 }, (_, i) => String(20_000 + i));
      const cards = await h.admin.productCards(["8001", ...unknown.slice(0, 120), "8002", "8003", ...unknown.slice(120), "8004", "8009"]);
      expect(cards).toEqual([
        {
          productId: "8001",
          title: "Kopi Gayo",
          handle: "kopi-gayo",
          imageUrl: image.imageUrl,
          imageAlt: image.imageAlt,
          price: 125_000,
          currency: h.shop.currencyCode,
          available: true,
        },
        {
          productId: "8002",
          title: "Toraja",
          handle: "toraja",
          imageUrl: null,
          imageAlt: null,
          price: 135_000,
          currency: h.shop.currencyCode,
          available: false,
        },
        {
          productId: "8003",
          title: "Draft",
          handle: "draft",
          imageUrl: null,
          imageAlt: null,
          price: 1_000,
          currency: h.shop.currencyCode,
          available: false,
        },
        {
          productId: "8004",
          title: "Hidden",
          handle: "hidden",
          imageUrl: null,
          imageAlt: null,
          price: 2_000,
          currency: h.shop.currencyCode,
          available: false,
        },
      ]);
      await expect(h.admin.productCards([...unknown, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"])).rejects.toThrow(RangeError);
      await expect(h.admin.productCards(["gid://shopify/Product/8001"])).rejects.toThrow(RangeError);
    });

    test("GIVEN lists for 60 products THEN setAlsoBought writes each product's metafield in order; an empty list removes it", async () => {
      const h = makePort();
      const ids = Array.from({ length: 62 }, (_, i) => String(30_000 + i));
      for (const id of ids) h.setProduct(id, { tags: [], collectionIds: [] });
      const lists = ids.slice(0, 60).map((id, i) => ({ productId: id, productIds: [ids[(i + 1) % 62], ids[(i + 2) % 62]] }));
      expect(await h.admin.setAlsoBought(lists)).toEqual({ failed: [] });
      expect(h.alsoBought(ids[0])).toEqual([ids[1], ids[2]]);
      expect(h.alsoBought(ids[59])).toEqual([ids[60], ids[61]]);
      expect(h.alsoBought(ids[60])).toBeNull();
      expect(
        await h.admin.setAlsoBought([
          { productId: ids[0], productIds: [] },
          { productId: ids[1], productIds: [ids[5]] },
        ]),
      ).toEqual({
        failed: [],
      });
      expect(h.alsoBought(ids[0])).toBeNull();
      expect(h.alsoBought(ids[1])).toEqual([ids[5]]);
      // Removing a list that is not there is fine.
      expect(await h.admin.setAlsoBought([{ productId: ids[0], productIds: [] }])).toEqual({ failed: [] });
    });

    test("GIVEN a refused batch THEN its products come back failed and the other batches are written", async () => {
      const h = makePort();
      const ids = Array.from({ length: 30 }, (_, i) => String(31_000 + i));
      for (const id of ids) h.setProduct(id, { tags: [], collectionIds: [] });
      h.refuseNext("Something is wrong");
      const lists = ids.map((id) => ({ productId: id, productIds: [id === ids[0] ? ids[1] : ids[0]] }));
      const { failed } = await h.admin.setAlsoBought(lists);
      expect(failed.map((f) => f.productIds)).toEqual([ids.slice(0, 25)]);
      expect(failed[0].error).toBeInstanceOf(ShopifyAdminError);
      expect(h.alsoBought(ids[0])).toBeNull();
      expect(h.alsoBought(ids[25])).toEqual([ids[0]]);
      // A list naming a product Shopify no longer has is refused with its batch.
      h.deleteProduct(ids[1]);
      const again = await h.admin.setAlsoBought([{ productId: ids[0], productIds: [ids[1]] }]);
      expect(again.failed.map((f) => f.productIds)).toEqual([[ids[0]]]);
      await expect(h.admin.setAlsoBought([{ productId: "8001", productIds: ["x"] }])).rejects.toThrow(RangeError);
    });

    test("GIVEN the live theme's settings THEN appEmbedStatus tells whether Kembali's embed is on", async () => {
      const h = makePort();
      h.setThemeSettings(null);
      expect(await h.admin.appEmbedStatus()).toBeNull();
      const settings = (disabled: boolean) =>
        `/* Shopify writes a comment here */ ${JSON.stringify({
          current: { blocks: { "123": { type: "shopify://apps/kembali/blocks/app_embed/0b1c", disabled, settings: {} } } },
        })}`;
      h.setThemeSettings(settings(false));
      expect(await h.admin.appEmbedStatus()).toMatchObject({ enabled: true });
      h.setThemeSettings(settings(true));
      expect(await h.admin.appEmbedStatus()).toMatchObject({ enabled: false });
      h.setThemeSettings(JSON.stringify({ current: { blocks: { "9": { type: "shopify://apps/other/blocks/app_embed/1" } } } }));
      expect(await h.admin.appEmbedStatus()).toMatchObject({ enabled: false });
    });

    test("GIVEN the widget's appearance WHEN written twice THEN the shop's metafield holds the latest; a refusal keeps it", async () => {
      const port = makePort();
      expect(port.appearance()).toBeUndefined();
      const first = { position: "left", accent: "#112233", titles: { id: "Poin <b>Kami</b>" }, languages: ["id"], defaultLanguage: "id" };
      await port.admin.setAppearanceMetafield(first);
      expect(port.appearance()).toEqual(first);
      const second = { ...first, accent: "#445566" };
      await port.admin.setAppearanceMetafield(second);
      expect(port.appearance()).toEqual(second);
      port.refuseNext("Owner subtype does not match the metafield definition");
      expect((await rejection(port.admin.setAppearanceMetafield({ ...second, accent: "#000000" }))).kind).toBe("rejected");
      expect(port.appearance()).toEqual(second);
    });

    test("GIVEN a tag both removed and added THEN the customer keeps it", async () => {
      const port = makePort();
      await port.admin.tagCustomer("7301", ["kembali-gold"], []);
      await port.admin.tagCustomer("7301", ["kembali-gold"], ["kembali-gold"]);
      expect(port.tags("7301")).toEqual(["kembali-gold"]);
    });

    test("GIVEN a tag segment and a free-shipping discount for it THEN exactly the tagged customers get it, while it is on", async () => {
      const port = makePort();
      const { admin } = port;
      const { segmentId } = await admin.createTagSegment({ name: "Kembali VIP tier gold", tag: "kembali-tier-gold" });
      const { discountId } = await admin.createSegmentFreeShipping({
        title: "Kembali VIP free shipping: gold",
        segmentId,
        startsAt: hoursAgo(1),
        combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
      });
      await admin.tagCustomer("7001", ["kembali-tier-gold"], []);
      await admin.tagCustomer("7002", ["kembali-tier-silver"], []);
      expect(port.getsAutomaticDiscount(discountId, "7001")).toBe(true);
      expect(port.getsAutomaticDiscount(discountId, "7002")).toBe(false);
      // Moving tier is moving tag: the segment follows.
      await admin.tagCustomer("7002", ["kembali-tier-gold"], ["kembali-tier-silver"]);
      await admin.tagCustomer("7001", ["kembali-tier-silver"], ["kembali-tier-gold"]);
      expect(port.getsAutomaticDiscount(discountId, "7002")).toBe(true);
      expect(port.getsAutomaticDiscount(discountId, "7001")).toBe(false);
      await admin.setAutomaticDiscountActive(discountId, false);
      await admin.setAutomaticDiscountActive(discountId, false);
      expect(port.getsAutomaticDiscount(discountId, "7002")).toBe(false);
      await admin.setAutomaticDiscountActive(discountId, true);
      expect(port.getsAutomaticDiscount(discountId, "7002")).toBe(true);
    });

    test("GIVEN a segment and a discount made before WHEN made again with the same name and title THEN the same ids come back, nothing doubles", async () => {
      const port = makePort();
      const { admin } = port;
      const first = await admin.createTagSegment({ name: "Kembali VIP tier gold", tag: "kembali-tier-gold" });
      const again = await admin.createTagSegment({ name: "Kembali VIP tier gold", tag: "kembali-tier-gold" });
      expect(again.segmentId).toBe(first.segmentId);
      const input = {
        title: "Kembali VIP free shipping: gold",
        segmentId: first.segmentId,
        startsAt: hoursAgo(1),
        combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
      };
      const one = await admin.createSegmentFreeShipping(input);
      const two = await admin.createSegmentFreeShipping(input);
      expect(two.discountId).toBe(one.discountId);
    });

    test("GIVEN an automatic discount id the shop does not have THEN switching it is rejected", async () => {
      const port = makePort();
      const { admin } = port;
      await expect(admin.setAutomaticDiscountActive("gid://shopify/DiscountAutomaticNode/999999", false)).rejects.toMatchObject({
        kind: "rejected",
      });
    });

    test("GIVEN a Flow trigger WHEN fired THEN the shop received its handle and payload; a refusal records nothing", async () => {
      const port = makePort();
      const { admin } = port;
      await admin.flowTriggerReceive("kembali-flow-points-earned", { customer_id: 7001, points: 120, "order name": "#1001" });
      expect(port.flowTriggers()).toEqual([
        { handle: "kembali-flow-points-earned", payload: { customer_id: 7001, points: 120, "order name": "#1001" } },
      ]);
      port.refuseNext("Errors validating schema");
      await expect(admin.flowTriggerReceive("kembali-flow-win-back", { customer_id: 7001 })).rejects.toMatchObject({ kind: "rejected" });
      expect(port.flowTriggers()).toHaveLength(1);
    });
  });
}
