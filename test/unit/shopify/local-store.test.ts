// What the in-memory store offers beyond the port contract: the controls the demo and flow
// tests use, a clock, and a state that several instances can share.
import { expect, test } from "vitest";
import { createLocalStoreState, localStoreAdmin } from "~/shopify/admin/local-store.server";
import type { CreateDiscountCodeInput } from "~/shopify/admin/port";

const reward: CreateDiscountCodeInput = {
  code: "KMB-DEMO1",
  title: "Free shipping",
  reward: { type: "free_shipping" },
  customerId: "7001",
  startsAt: new Date("2026-11-20T00:00:00Z"),
  endsAt: new Date("2026-12-20T00:00:00Z"),
  combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
  currency: "IDR",
};

test("GIVEN one state WHEN two store instances use it THEN each sees what the other wrote", async () => {
  const state = createLocalStoreState({
    shop: { name: "Warung Demo", currencyCode: "IDR", ianaTimezone: "Asia/Makassar" },
  });
  const { discountId } = await localStoreAdmin(state).createDiscountCode(reward);
  const other = localStoreAdmin(state);
  expect(await other.shopInfo()).toEqual({ name: "Warung Demo", currencyCode: "IDR", ianaTimezone: "Asia/Makassar" });
  expect(other.discount(discountId)).toMatchObject({ code: "KMB-DEMO1", customerId: "7001", usageCount: 0 });
  await expect(other.createDiscountCode(reward)).rejects.toMatchObject({ kind: "rejected" });
});

test("GIVEN a single-use code WHEN a checkout uses it twice THEN the second use is refused", async () => {
  const store = localStoreAdmin(createLocalStoreState(), { clock: () => new Date("2026-11-25T00:00:00Z") });
  const { discountId } = await store.createDiscountCode(reward);
  store.markDiscountUsed(discountId);
  expect(() => store.markDiscountUsed(discountId)).toThrow(/already used/);
  expect(await store.discountUsage(discountId)).toEqual({ usageCount: 1, status: "ACTIVE" });
});

test("GIVEN the clock past a code's end THEN it is EXPIRED and can no longer be used", async () => {
  let now = new Date("2026-11-25T00:00:00Z");
  const store = localStoreAdmin(createLocalStoreState(), { clock: () => now });
  const { discountId } = await store.createDiscountCode(reward);
  now = new Date("2026-12-21T00:00:00Z");
  expect((await store.discountUsage(discountId)).status).toBe("EXPIRED");
  expect(() => store.markDiscountUsed(discountId)).toThrow(/EXPIRED/);
});

test("GIVEN rejectNext THEN only the next mutation is refused", async () => {
  const store = localStoreAdmin();
  store.rejectNext("Shop is frozen");
  await expect(store.tagCustomer("7001", ["kembali-gold"], [])).rejects.toMatchObject({
    kind: "rejected",
    userErrors: [{ field: null, message: "Shop is frozen" }],
  });
  await store.tagCustomer("7001", ["kembali-gold"], []);
  expect(store.customer("7001").tags).toEqual(["kembali-gold"]);
});

test("GIVEN an order added again with the same id THEN the list carries the update, not a second order", async () => {
  const store = localStoreAdmin();
  const at = new Date("2026-11-01T00:00:00Z");
  const order = {
    id: "501",
    customer: null,
    currency: "IDR",
    subtotal: 100,
    total: 100,
    shipping: 0,
    tax: 0,
    createdAt: at,
    processedAt: at,
    updatedAt: at,
    cancelledAt: null,
    financialStatus: "PAID" as const,
    lineItems: [],
    refunds: [],
    truncated: false,
  };
  store.addOrder(order);
  store.addOrder({ ...order, financialStatus: "REFUNDED", refunds: [{ id: "601", createdAt: at, subtotal: 100 }] });
  const { orders } = await store.listOrders({ first: 10 });
  expect(orders.map((o) => [o.id, o.financialStatus])).toEqual([["501", "REFUNDED"]]);
});
