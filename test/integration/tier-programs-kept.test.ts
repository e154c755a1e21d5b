// The tier programs an order's webhook reads are kept per shop and Shop.stateVersion
// (tierProgramsAt, decision 049): a new program version must earn at once on the next order,
// on this server and on any other reading the same database.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { ensureShop, findShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { tierProgramsAt } from "~/domain/tiers";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const program = (multiplier: number) => ({
  basis: "points_earned",
  period: "lifetime",
  tiers: [{ key: "member", name: "Member", threshold: 0, earnMultiplier: multiplier }],
});

async function pay(shop: string, orderId: string) {
  const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(orderId, "7001", 1))));
  expect(res.status).toBe(200);
  const entry = await prisma.pointsEntry.findFirstOrThrow({
    where: { sourceId: orderId, kind: "earn", customer: { shop: { domain: shop } } },
  });
  return entry.points;
}

describe("tier programs kept per shop version", () => {
  test("GIVEN a shop's program kept from an order WHEN a new version is written THEN the next order earns under it", async () => {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
    const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    // Rows as saveTierProgram writes them (without its recalculation job, which is not the subject here).
    await prisma.tierProgram.create({ data: { shopId: id, version: 1, ...program(1) } });
    const first = await pay(shop, "9001");
    expect(await pay(shop, "9002")).toBe(first); // the same version, kept

    await prisma.tierProgram.create({ data: { shopId: id, version: 2, ...program(2) } });
    expect(await pay(shop, "9003")).toBe(first * 2);
  });

  test("GIVEN a program written by another server (straight to the table) THEN the shop's version moves and the new program is read", async () => {
    const shop = newShopDomain();
    const { id } = await ensureShop(prisma, shop, "IDR");
    const before = (await findShop(prisma, shop))!;
    expect((await tierProgramsAt(prisma, before)).current).toBeNull();

    await prisma.tierProgram.create({ data: { shopId: id, version: 1, ...program(3) } });
    const after = (await findShop(prisma, shop))!;
    expect(after.stateVersion).toBeGreaterThan(before.stateVersion);
    const programs = await tierProgramsAt(prisma, after);
    expect(programs.current?.tiers[0].earnMultiplier).toBe(3);
    expect([...programs.former.keys()]).toEqual(["member"]);
    // Kept: the same object for the same version, without a read.
    expect(await tierProgramsAt(prisma, after)).toBe(programs);
  });
});
