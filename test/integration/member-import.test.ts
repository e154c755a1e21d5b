import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma, { transaction } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { upsertCustomer } from "~/domain/earning/orders";
import { adjustPoints } from "~/domain/members/changes";
import { runJob } from "~/domain/jobs";
import { redactCustomer, redactedCustomerId } from "~/domain/members/compliance";
import { evaluateCustomerTier, saveTierProgram } from "~/domain/tiers";
import { KembaliError } from "~/domain/errors";
import {
  MEMBER_IMPORT_JOB,
  confirmMemberImport,
  latestMemberImport,
  memberImportJob,
  previewMemberImport,
} from "~/domain/members/member-import";
import { codeDiscountTitle, syncCodeDiscounts } from "~/domain/referrals";
import { localShopify } from "~/shopify/shopify-for.server";
import { action, loader } from "~/routes/app.settings/route";
import { loader as exportLoader } from "~/routes/app.settings.export[.]csv";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

// Workers of other test files claim any due job; this file's clock runs a year ahead so its
// jobs are never due for them, and it runs its own jobs by id (as admin-settings.test.ts).
beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(Date.now() + 365 * 86_400_000);
});
afterAll(() => vi.useRealTimers());

const deps = () => ({ db: prisma, clock: () => new Date(), transaction: transaction(prisma) });
const encode = (text: string) => new TextEncoder().encode(text);

/** A shop (1 point per Rp1.000, no pending period) with Silver/Gold tiers and three customers. */
async function shopWithMembers() {
  const shop = newShopDomain();
  const row = await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  await saveTierProgram(deps(), shop, {
    basis: "points_earned",
    period: "lifetime",
    tiers: [
      { key: "silver", name: "Silver", threshold: 1000 },
      { key: "gold", name: "Gold", threshold: 5000 },
    ],
  });
  await upsertCustomer(prisma, row, { shopifyCustomerId: "7001", email: "Ayu@Example.com", firstName: "Ayu", lastName: "Lestari" });
  await upsertCustomer(prisma, row, { shopifyCustomerId: "7002", email: "budi@example.com", firstName: "Budi", lastName: "Santoso" });
  await upsertCustomer(prisma, row, { shopifyCustomerId: "7003", email: "siti@example.com", firstName: "Siti", lastName: "Rahma" });
  return { shop, shopId: row.id, row };
}

async function applyImport(shop: string, importId: string) {
  const view = await confirmMemberImport(deps(), shop, importId);
  expect(view).toMatchObject({ status: "queued", job: { status: "queued" } });
  const { jobId } = await prisma.memberImport.findUniqueOrThrow({ where: { id: importId } });
  const handlers = { [MEMBER_IMPORT_JOB]: memberImportJob(async (s) => localShopify(s), transaction(prisma)) };
  expect(await runJob({ db: prisma, clock: () => new Date() }, handlers, jobId!)).toBe("done");
  return (await latestMemberImport({ db: prisma }, shop))!;
}

// One import writes its entries at the same instant: ties go by id (cuids grow in creation order), not by whichever index the plan uses.
const entriesOf = (shopId: string) => prisma.pointsEntry.findMany({ where: { shopId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const customerOf = (shopId: string, shopifyCustomerId: string) =>
  prisma.customer.findUniqueOrThrow({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    include: { referralCode: true },
  });

const FIRST_FILE =
  "\uFEFFCustomer ID,Email,Points Balance,VIP Tier,Birthday,Referral code\r\n" +
  "7001,,1200,Gold,1004-05-27,AYUK2345\r\n" + // by id
  '"",BUDI@example.com,300,silver,,\r\n' + // by email, any case; tier by key
  "\r\n" +
  ",ghost@example.com,50,,,\r\n" + // no such customer
  ",siti@example.com,1.500,,,\r\n" + // bad number
  "7003,,40,Platinum,,\r\n" + // unknown tier
  ",ayu@example.com,999,,,\r\n"; // the same customer as line 2

describe("member CSV import", () => {
  test("GIVEN a file from another app WHEN it is uploaded THEN the preview counts and explains every row, and nothing is written", async () => {
    const { shop, shopId } = await shopWithMembers();
    const view = await previewMemberImport(deps(), shop, { name: "smile-export.csv", bytes: encode(FIRST_FILE) });

    expect(view).toMatchObject({
      fileName: "smile-export.csv",
      status: "previewed",
      counts: { rows: 6, matched: 2, changes: 2, notFound: 1, errors: 3 },
      alreadyImportedAt: null,
      columns: { shopifyCustomerId: "Customer ID", email: "Email", points: "Points Balance", tier: "VIP Tier" },
    });
    expect(view.problems).toEqual([
      { line: 5, error: "not_found", value: "ghost@example.com" },
      { line: 6, error: "bad_points", value: "1.500" },
      { line: 7, error: "unknown_tier", value: "Platinum" },
      { line: 8, error: "duplicate", value: "2" },
    ]);
    expect(await entriesOf(shopId)).toEqual([]);
    const ayu = await customerOf(shopId, "7001");
    expect([ayu.balance, ayu.tier, ayu.birthdayMonth, ayu.referralCode]).toEqual([0, null, null, null]);
  });

  test("GIVEN a confirmed preview THEN balances become the file's, as ledger entries; tiers, birthday and code are set; the same file again changes nothing", async () => {
    const { shop, shopId } = await shopWithMembers();
    const preview = await previewMemberImport(deps(), shop, { name: "smile-export.csv", bytes: encode(FIRST_FILE) });
    const done = await applyImport(shop, preview.id);
    expect(done).toMatchObject({ status: "applied", outcomes: { applied: 2 }, job: { status: "done", progress: 2, total: 2 } });

    expect(await points(shop, "7001")).toEqual({ balance: 1200, pending: 0 });
    expect(await points(shop, "7002")).toEqual({ balance: 300, pending: 0 });
    expect(await points(shop, "7003")).toEqual({ balance: 0, pending: 0 });
    const ayu = await customerOf(shopId, "7001");
    expect([ayu.tier, ayu.birthdayMonth, ayu.birthdayDay, ayu.referralCode?.code]).toEqual(["gold", 5, 27, "AYUK2345"]);
    expect((await customerOf(shopId, "7002")).tier).toBe("silver");
    expect(
      await prisma.tierChange.findMany({ where: { shopId }, select: { toTier: true, reason: true }, orderBy: { toTier: "asc" } }),
    ).toEqual([
      { toTier: "gold", reason: "import" },
      { toTier: "silver", reason: "import" },
    ]);
    // Written to Shopify like any tier change.
    expect(localShopify(shop).customer("7001").tags).toContain("kembali-tier-gold");
    const entries = await entriesOf(shopId);
    expect(entries.map((e) => [e.kind, e.points, e.sourceType])).toEqual([
      ["adjust", 1200, "import"],
      ["adjust", 300, "import"],
    ]);
    // Who the rows named is erased once applied.
    expect(await prisma.memberImportRow.count({ where: { importId: preview.id, email: { not: null } } })).toBe(0);

    // The same file again: recognised, nothing to confirm, nothing changes.
    const again = await previewMemberImport(deps(), shop, { name: "copy.csv", bytes: encode(FIRST_FILE) });
    expect(again.alreadyImportedAt).toBe(done.appliedAt);
    expect(again.counts.changes).toBe(0);
    await expect(confirmMemberImport(deps(), shop, again.id)).rejects.toMatchObject({
      code: "BAD_INPUT",
      details: { fields: { form: "settings.import.error.nothing" } },
    });
    expect(await entriesOf(shopId)).toHaveLength(2);
  });

  test("GIVEN a second, corrected file after members earned and spent in Kembali THEN the carried-over balance is corrected, never added twice", async () => {
    const { shop, shopId } = await shopWithMembers();
    const first = await previewMemberImport(deps(), shop, {
      name: "a.csv",
      bytes: encode("Email,Points\nayu@example.com,500\nbudi@example.com,300\n"),
    });
    await applyImport(shop, first.id);
    // Ayu earns 250 from an order in Kembali; Budi spends 250 of his carried-over points.
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("9901", "7001", 2))))).status).toBe(200);
    await adjustPoints(deps(), shop, "7002", { points: -250, reason: "Redeemed at the till", requestId: "till-0001" });

    const second = await previewMemberImport(deps(), shop, {
      name: "b.csv",
      // By customer id: the order's webhook brought Ayu's current email from Shopify.
      bytes: encode("Customer ID,Points\n7001,800\n7002,0\n7003,0\n"),
    });
    // Budi's carried-over 300 cannot drop to 0: he has 50 left to take back.
    expect(second.counts).toMatchObject({ matched: 2, changes: 1, errors: 1 });
    expect(second.problems).toEqual([{ line: 3, error: "below_zero", value: "0" }]);
    const done = await applyImport(shop, second.id);
    expect(done.outcomes).toEqual({ applied: 1, unchanged: 1 });

    expect(await points(shop, "7001")).toEqual({ balance: 800 + 250, pending: 0 });
    expect(await points(shop, "7002")).toEqual({ balance: 50, pending: 0 });
    const imported = await prisma.pointsEntry.groupBy({
      by: ["customerId"],
      where: { shopId, sourceType: "import" },
      _sum: { points: true },
    });
    const ayu = await customerOf(shopId, "7001");
    expect(imported.find((s) => s.customerId === ayu.id)?._sum.points).toBe(800);
  });

  test("GIVEN a member whose code is a Shopify discount WHEN an import gives them another code THEN the sync renames that discount (decision 020)", async () => {
    const { shop, shopId } = await shopWithMembers();
    const sync = () => syncCodeDiscounts({ db: prisma, clock: () => new Date(), shopifyFor: async (s) => localShopify(s) }, { shopId });
    await applyImport(
      shop,
      (await previewMemberImport(deps(), shop, { name: "a.csv", bytes: encode("Customer ID,Referral code\n7001,AYUK2345\n") })).id,
    );
    await sync();
    const store = localShopify(shop);
    const [discount] = store.state.discounts;
    expect(discount).toMatchObject({ code: "AYUK2345", title: codeDiscountTitle("AYUK2345") });

    await applyImport(
      shop,
      (await previewMemberImport(deps(), shop, { name: "b.csv", bytes: encode("Customer ID,Referral code\n7001,AYUK6789\n") })).id,
    );
    expect((await customerOf(shopId, "7001")).referralCode).toMatchObject({ code: "AYUK6789", discountStatus: "pending" });
    await sync();
    expect(store.state.discounts).toHaveLength(1);
    expect(store.discount(discount.id)).toMatchObject({ code: "AYUK6789", title: codeDiscountTitle("AYUK6789") });
    expect((await customerOf(shopId, "7001")).referralCode).toMatchObject({ discountStatus: "active", discountId: discount.id });
  });

  test("GIVEN Shopify failing while a step writes tier tags THEN the re-run writes them, although the tier already moved", async () => {
    const { shop, shopId } = await shopWithMembers();
    const preview = await previewMemberImport(deps(), shop, { name: "t.csv", bytes: encode("Customer ID,Tier\n7001,Gold\n") });
    await confirmMemberImport(deps(), shop, preview.id);
    const { jobId } = await prisma.memberImport.findUniqueOrThrow({ where: { id: preview.id } });
    let down = true;
    const shopifyFor = async (s: string) => {
      if (down) throw new Error("Shopify answered 503");
      return localShopify(s);
    };
    const handlers = { [MEMBER_IMPORT_JOB]: memberImportJob(shopifyFor, transaction(prisma)) };
    expect(await runJob({ db: prisma, clock: () => new Date() }, handlers, jobId!)).toBe("failed");
    expect((await customerOf(shopId, "7001")).tier).toBe("gold");
    expect(localShopify(shop).customer("7001").tags).not.toContain("kembali-tier-gold");

    down = false;
    expect(await runJob({ db: prisma, clock: () => new Date() }, handlers, jobId!)).toBe("done");
    expect(localShopify(shop).customer("7001").tags).toContain("kembali-tier-gold");
    expect(await prisma.tierChange.count({ where: { shopId, syncedAt: null } })).toBe(0);
  });

  test("GIVEN an imported tier THEN a recalculation keeps the member in it although their Kembali points alone would not", async () => {
    const { shop, shopId } = await shopWithMembers();
    const preview = await previewMemberImport(deps(), shop, { name: "t.csv", bytes: encode("Customer ID,Tier\n7003,Gold\n") });
    await applyImport(shop, preview.id);
    const siti = await customerOf(shopId, "7003");
    const evaluation = await evaluateCustomerTier({ ...deps(), shopify: localShopify(shop) }, shop, siti.id, "recalculation");
    expect(evaluation).toMatchObject({ from: "gold", to: "gold", changed: false, amount: 0 });
  });

  test("GIVEN a preview naming customers WHEN Shopify asks to redact them THEN their staged rows forget them, also one not in Kembali, and confirming writes nothing back", async () => {
    const { shop, shopId } = await shopWithMembers();
    const file =
      "Email,Points,Birthday,Referral code\n" +
      "BUDI@example.com,5,1990-03-04,BVDK2345\n" +
      "siti@example.com,7,,\n" +
      "Ghost@example.com,9,1991-01-02,GHKT2345\n" + // not in Kembali
      "budi@@example.com,1,,\n"; // a bad email: its value names someone too
    const preview = await previewMemberImport(deps(), shop, { name: "a.csv", bytes: encode(file) });
    expect(preview.counts).toMatchObject({ matched: 2, notFound: 1, errors: 1 });
    const redact = async (id: string, email: string) => {
      const body = { shop_id: 1, shop_domain: shop, customer: { id: Number(id), email, phone: null }, orders_to_redact: [] };
      expect((await customerRedact(routeArgs(webhookRequest("customers/redact", shop, body)))).status).toBe(200);
    };
    await redact("7002", "budi@example.com");
    await redact("9999", "ghost@example.com");
    const personal = {
      select: { line: true, email: true, shopifyCustomerId: true, birthdayMonth: true, referralCode: true, customerId: true },
      orderBy: { line: "asc" as const },
    };
    const rows = await prisma.memberImportRow.findMany({ where: { importId: preview.id }, ...personal });
    const forgotten = (line: number) => ({
      line,
      email: null,
      shopifyCustomerId: null,
      birthdayMonth: null,
      referralCode: null,
      customerId: null,
    });
    expect(rows).toEqual([
      forgotten(2),
      {
        line: 3,
        email: "siti@example.com",
        shopifyCustomerId: null,
        birthdayMonth: null,
        referralCode: null,
        customerId: expect.any(String),
      },
      forgotten(4),
      { line: 5, email: null, shopifyCustomerId: null, birthdayMonth: null, referralCode: null, customerId: null },
    ]);

    // Confirming afterwards applies Siti's row only: nothing of Budi's comes back.
    const done = await applyImport(shop, preview.id);
    expect(done.outcomes).toEqual({ applied: 1 });
    // Redacted: known by a placeholder now, not by their Shopify id.
    const budi = await prisma.customer.findFirstOrThrow({ where: { shopId, redactedAt: { not: null } }, include: { referralCode: true } });
    expect(budi.shopifyCustomerId).toMatch(/^redacted-/);
    expect([budi.balance, budi.birthdayMonth, budi.referralCode]).toEqual([0, null, null]);
    expect(await points(shop, "7003")).toEqual({ balance: 7, pending: 0 });
    // Once applied, no row names anyone or holds their data; the reasons stay.
    const after = await prisma.memberImportRow.findMany({
      where: { importId: preview.id },
      ...personal,
      select: { ...personal.select, error: true, errorValue: true },
    });
    expect(after).toEqual([
      { ...forgotten(2), error: null, errorValue: null },
      { ...forgotten(3), error: null, errorValue: null },
      { ...forgotten(4), error: "not_found", errorValue: null },
      { ...forgotten(5), error: "bad_email", errorValue: null },
    ]);
  });

  test("GIVEN a held-out customer in the file THEN the preview reports the row, and one held out after the preview fails alone: the import completes", async () => {
    const { shop, shopId } = await shopWithMembers();
    await prisma.customer.update({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: "7002" } }, data: { holdout: true } });
    const file = "Customer ID,Points,Tier,Referral code\n7001,100,Gold,AYUK2345\n7002,200,Gold,BVDK2345\n7003,300,Silver,STTA2345\n";
    const preview = await previewMemberImport(deps(), shop, { name: "h.csv", bytes: encode(file) });
    expect(preview.counts).toMatchObject({ rows: 3, matched: 2, errors: 1 });
    expect(preview.problems).toEqual([{ line: 3, error: "held_out", value: "7002" }]);

    // Siti is held out between the preview and the job (the merchant raised the share).
    await prisma.customer.update({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: "7003" } }, data: { holdout: true } });
    const done = await applyImport(shop, preview.id);
    expect(done).toMatchObject({ status: "applied", outcomes: { applied: 1, failed: 1 } });
    expect(done.problems.map((p) => [p.line, p.error])).toEqual([
      [3, "held_out"],
      [4, "held_out"],
    ]);
    for (const id of ["7002", "7003"]) {
      const c = await customerOf(shopId, id);
      expect([c.balance, c.tier, c.tierFloor, c.referralCode]).toEqual([0, null, null, null]);
    }
    expect((await customerOf(shopId, "7001")).balance).toBe(100);
  });

  test("GIVEN an import already queued or a stale preview THEN confirming is refused and changes nothing", async () => {
    const { shop, shopId } = await shopWithMembers();
    const old = await previewMemberImport(deps(), shop, { name: "a.csv", bytes: encode("Email,Points\nayu@example.com,5\n") });
    const newer = await previewMemberImport(deps(), shop, { name: "b.csv", bytes: encode("Email,Points\nayu@example.com,6\n") });
    const refusal = (key: string) => ({ code: "BAD_INPUT", details: { fields: { form: key } } });
    await expect(confirmMemberImport(deps(), shop, old.id)).rejects.toMatchObject(refusal("settings.import.error.gone"));
    await confirmMemberImport(deps(), shop, newer.id);
    await expect(confirmMemberImport(deps(), shop, newer.id)).rejects.toMatchObject(refusal("settings.import.error.started"));
    // While it is queued, no other import starts; once its job gave up, one may.
    const third = await previewMemberImport(deps(), shop, { name: "c.csv", bytes: encode("Email,Points\nayu@example.com,7\n") });
    await expect(confirmMemberImport(deps(), shop, third.id)).rejects.toMatchObject(refusal("settings.import.error.running"));
    const { jobId } = await prisma.memberImport.findUniqueOrThrow({ where: { id: newer.id } });
    await prisma.job.update({ where: { id: jobId! }, data: { status: "failed", error: "Shopify answered 503" } });
    expect((await latestMemberImport({ db: prisma }, shop))?.id).toBe(third.id);
    await expect(confirmMemberImport(deps(), shop, third.id)).resolves.toMatchObject({ status: "queued" });
    // Another shop cannot confirm this shop's import.
    const other = await shopWithMembers();
    await expect(confirmMemberImport(deps(), other.shop, newer.id)).rejects.toBeInstanceOf(KembaliError);
    expect(await entriesOf(shopId)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Routes

async function adminRequests(shop: string) {
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  return {
    post: async (body: FormData) =>
      action(
        routeArgs(
          await setUpValidRequest(
            { type: RequestType.Bearer, ...creds },
            new Request("http://127.0.0.1:3000/app/settings", { method: "POST", body }),
          ),
        ),
      ),
    load: async () =>
      loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request("http://127.0.0.1:3000/app/settings")))),
    exportCsv: async () =>
      exportLoader(
        routeArgs(
          await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request("http://127.0.0.1:3000/app/settings/export.csv")),
        ),
      ),
  };
}

describe("settings page: member import and export", () => {
  test("GIVEN an upload THEN the page shows its preview; a file over 5 MB or an unusable one is refused with a clear error", async () => {
    const { shop } = await shopWithMembers();
    const { post, load } = await adminRequests(shop);
    const upload = (content: string | Uint8Array<ArrayBuffer>, name = "members.csv") => {
      const body = new FormData();
      body.append("intent", "import-preview");
      body.append("file", new File([content], name, { type: "text/csv" }));
      return post(body);
    };
    expect(await upload("Email,Points\nayu@example.com,10\n")).toEqual({ ok: true, intent: "import", error: null });
    expect((await load()).memberImport).toMatchObject({ fileName: "members.csv", counts: { matched: 1, changes: 1 } });

    expect(await upload(new Uint8Array(5 * 1024 * 1024 + 10))).toEqual({
      ok: false,
      intent: "import",
      error: "settings.import.error.too_large",
    });
    expect(await upload("Name,Points\nAyu,5\n")).toMatchObject({ ok: false, error: "settings.import.error.no_identifier_column" });
    // The failed uploads replaced nothing: the earlier preview is still there.
    expect((await load()).memberImport).toMatchObject({ fileName: "members.csv" });

    // The order history card still works without an intent.
    const backfill = new FormData();
    expect(await post(backfill)).toMatchObject({ ok: true, intent: "backfill" });
  });

  test("GIVEN members in two shops THEN the export lists only this shop's, redacted ones without personal fields, and formulas escaped", async () => {
    const { shop, row } = await shopWithMembers();
    const other = await shopWithMembers();
    await upsertCustomer(prisma, other.row, {
      shopifyCustomerId: "8801",
      email: "other-shop@example.com",
      firstName: "Other",
      lastName: "Shop",
    });
    await upsertCustomer(prisma, row, {
      shopifyCustomerId: "7004",
      email: "eve@example.com",
      firstName: '=HYPERLINK("http://x")',
      lastName: "+1",
    });
    const preview = await previewMemberImport(deps(), shop, {
      name: "a.csv",
      bytes: encode("Customer ID,Points,Tier,Referral code\n7001,1200,Gold,AYUK2345\n"),
    });
    await applyImport(shop, preview.id);
    const budi = redactedCustomerId((await customerOf(row.id, "7002")).id);
    await redactCustomer(deps(), shop, "7002");

    const res = await (await adminRequests(shop)).exportCsv();
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="kembali-members-test-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for spreadsheets
    const text = new TextDecoder().decode(bytes);
    expect(
      text.startsWith(
        "Shopify customer ID,Email,First name,Last name,Kembali balance,Kembali pending,VIP tier,Referral code,Joined,Last activity\r\n",
      ),
    ).toBe(true);
    expect(text).not.toContain("other-shop@example.com");
    expect(text).toContain(`'=HYPERLINK(""http://x"")`);

    const rows: Record<string, string>[] = parse(text, { bom: true, columns: true });
    expect(rows.map((r) => r["Shopify customer ID"]).sort()).toEqual(["7001", "7003", "7004", budi].sort());
    const byId = Object.fromEntries(rows.map((r) => [r["Shopify customer ID"], r]));
    expect(byId["7001"]).toMatchObject({
      Email: "Ayu@Example.com",
      "Kembali balance": "1200",
      "Kembali pending": "0",
      "VIP tier": "Gold",
      "Referral code": "AYUK2345",
    });
    expect(byId[budi]).toMatchObject({ Email: "", "First name": "", "Last name": "" });
    expect(byId["7004"]).toMatchObject({ "First name": `'=HYPERLINK("http://x")`, "Last name": "'+1" });

    // Kembali's own export reads back as an import file (same customers, same columns).
    const back = await previewMemberImport(deps(), shop, { name: "export.csv", bytes: encode(text) });
    expect(back.columns).toEqual({
      shopifyCustomerId: "Shopify customer ID",
      email: "Email",
      tier: "VIP tier",
      referralCode: "Referral code",
    });
    // Budi was redacted: his row names nobody now (a placeholder, not a Shopify id).
    expect(back.counts).toMatchObject({ rows: 4, matched: 3, notFound: 0, errors: 1 });
  });

  test("GIVEN members with points earned in Kembali WHEN the export is imported back THEN no points change: its balance is not a carried-over balance", async () => {
    const { shop, shopId } = await shopWithMembers();
    const preview = await previewMemberImport(deps(), shop, { name: "a.csv", bytes: encode("Customer ID,Points,Tier\n7001,100,Silver\n") });
    await applyImport(shop, preview.id);
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("9902", "7002", 2))))).status).toBe(200);
    const before = await entriesOf(shopId);
    expect(before.length).toBe(2);

    const text = new TextDecoder().decode(new Uint8Array(await (await (await adminRequests(shop)).exportCsv()).arrayBuffer()));
    // A member's tier moved since the export: the re-import has a change to confirm.
    await prisma.customer.update({
      where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: "7001" } },
      data: { tier: null, tierFloor: null },
    });
    const back = await previewMemberImport(deps(), shop, { name: "export.csv", bytes: encode(text) });
    expect(back.columns.points).toBeUndefined();
    expect(back.counts).toMatchObject({ rows: 3, matched: 3, changes: 1 });
    const done = await applyImport(shop, back.id);
    expect(done.outcomes).toMatchObject({ applied: 1 });
    expect(await entriesOf(shopId)).toEqual(before);
    expect(await points(shop, "7001")).toEqual({ balance: 100, pending: 0 });
    expect((await points(shop, "7002")).balance).toBe(before[1].points);
    expect((await customerOf(shopId, "7001")).tier).toBe("silver");
  });
});
