// The checkout and customer-account extensions' bundles, built as the Shopify CLI builds them
// (esbuild reading each file's nearest tsconfig for its JSX, APP_URL inlined, `shopify.extend(target, module)` per target of the
// toml), run in a vm with a stand-in for Shopify's sandbox (scripts/extension-sandbox.js):
// the targets they register, what they render, what they send. The CLI-built bundles get the
// same check in scripts/build-extensions.js.
import { build } from "esbuild";
import { beforeAll, describe, expect, test } from "vitest";
import { loadExtension, until } from "../../scripts/extension-sandbox.js";
import type { OrderSummary, SurveyAnswerResult } from "../../common/survey-api";

const APP_URL = "https://kembali.example.com";
const bundles: Record<string, string> = {};

/** One bundle per extension, registering each target as the CLI's generated entry does. */
async function bundle(dir: string, targets: Record<string, string>) {
  const entry =
    Object.entries(targets)
      .map(([, module], i) => `import m${i} from "./${module}";`)
      .join("\n") +
    "\n" +
    Object.keys(targets)
      .map((target, i) => `shopify.extend(${JSON.stringify(target)}, m${i});`)
      .join("\n");
  const out = await build({
    stdin: { contents: entry, resolveDir: `extensions/${dir}`, loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2020",
    define: { "process.env.APP_URL": JSON.stringify(APP_URL) },
    minify: true,
  });
  return out.outputFiles[0].text.replace(/export\s*\{[^}]*\};?\s*$/m, "");
}

beforeAll(async () => {
  bundles.checkout = await bundle("kembali-checkout", { "purchase.thank-you.block.render": "src/ThankYou.tsx" });
  bundles.account = await bundle("kembali-account", {
    "customer-account.page.render": "src/RewardsPage.tsx",
    "customer-account.order-status.block.render": "src/OrderStatusBlock.tsx",
  });
});

const due: OrderSummary = {
  order: { id: "6001", points: 120, pending: true, availableAt: "2027-01-12T00:00:00.000Z" },
  claim: null,
  survey: { kind: "nps", question: null, min: 0, max: 10, pointsForAnswer: 50 },
  noSurvey: null,
};
const promoter: SurveyAnswerResult = {
  group: "promoter",
  pointsAwarded: 50,
  referral: { code: "SITI-7K", url: "https://toko.example/?ref=SITI-7K" },
};
const text = (el: { textContent: string }) => el.textContent;

describe("checkout extension (thank-you page)", () => {
  test("registers the thank-you target, renders the points and the 0–10 question, sends the score once with the session token, then shows the referral link", async () => {
    const ext = loadExtension(bundles.checkout, {
      localesDir: "extensions/kembali-checkout/locales",
      routes: { "GET /api/checkout/order": { status: 200, body: due }, "POST /api/checkout/survey": { status: 200, body: promoter } },
    });
    expect(ext.targets).toEqual(["purchase.thank-you.block.render"]);
    ext.run("purchase.thank-you.block.render");
    await until(() => ext.body.all("s-button").length > 0);
    expect(ext.requests[0]).toMatchObject({
      url: `${APP_URL}/api/checkout/order?order=6001&locale=en`,
      method: "GET",
      headers: { Authorization: "Bearer signed.token" },
    });
    expect(text(ext.body)).toContain("This order earns 120 points, yours to spend from January 12, 2027.");
    expect(text(ext.body)).toContain("How likely are you to recommend us to a friend?");
    const buttons = ext.body.all("s-button");
    expect(buttons.slice(0, 11).map(text)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);

    buttons[9].fire("click");
    ext.body.all("s-text-area")[0].fire("input", { value: " Fast delivery " });
    await until(() => ext.body.all("s-button").find((b) => b.getAttribute("variant") === "primary" && text(b) === "9"));
    const sendButton = ext.body.all("s-button").find((b) => text(b) === "Send")!;
    sendButton.fire("click");
    sendButton.fire("click");
    await until(() => text(ext.body).includes("Thank you for your answer!"));
    const posts = ext.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      url: `${APP_URL}/api/checkout/survey`,
      headers: { Authorization: "Bearer signed.token", "Content-Type": "application/json" },
      body: { order: "6001", score: 9, comment: "Fast delivery" },
    });
    expect(text(ext.body)).toContain("50 points are on their way.");
    expect(ext.body.all("s-clipboard-item")[0].getAttribute("text")).toBe("https://toko.example/?ref=SITI-7K");
    expect(text(ext.body)).not.toContain("How likely");
  });

  test("a guest in Bahasa Indonesia is asked to create an account; a refused session is said, not hidden", async () => {
    const ext = loadExtension(bundles.checkout, {
      locale: "id",
      localesDir: "extensions/kembali-checkout/locales",
      routes: {
        "GET /api/checkout/order": { status: 200, body: { ...due, order: null, claim: { points: 1500 } } },
        "POST /api/checkout/survey": { status: 401, body: { error: { code: "UNAUTHORIZED", message: "bad token" } } },
      },
    });
    ext.run("purchase.thank-you.block.render");
    await until(() => ext.body.all("s-button").length > 0);
    expect(text(ext.body)).toContain("Buat akun untuk mengklaim 1.500 poin dari pesanan ini.");
    // The merchant's question is asked for in the shopper's language.
    expect(ext.requests[0].url).toBe(`${APP_URL}/api/checkout/order?order=6001&locale=id`);
    ext.body.all("s-button")[3].fire("click");
    await until(() => ext.body.all("s-button").find((b) => b.getAttribute("variant") === "primary" && text(b) === "3"));
    ext.body
      .all("s-button")
      .find((b) => text(b) === "Kirim")!
      .fire("click");
    await until(() => text(ext.body).includes("Sesi Anda telah berakhir"));
  });

  test("nothing is rendered when there is nothing to show (no survey, no points)", async () => {
    const ext = loadExtension(bundles.checkout, {
      localesDir: "extensions/kembali-checkout/locales",
      routes: { "GET /api/checkout/order": { status: 200, body: { order: null, claim: null, survey: null, noSurvey: "off" } } },
    });
    ext.run("purchase.thank-you.block.render");
    await until(() => ext.requests.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(text(ext.body)).toBe("");
  });
});

describe("customer account extension", () => {
  test("registers the page and the order-status block; the block asks the due survey through the account routes", async () => {
    const ext = loadExtension(bundles.account, {
      localesDir: "extensions/kembali-account/locales",
      routes: { "GET /api/account/order": { status: 200, body: { ...due, survey: { ...due.survey!, kind: "csat", min: 1, max: 5 } } } },
    });
    expect(ext.targets.sort()).toEqual(["customer-account.order-status.block.render", "customer-account.page.render"]);
    ext.run("customer-account.order-status.block.render");
    await until(() => ext.body.all("s-button").length > 0);
    expect(ext.requests[0].url).toBe(`${APP_URL}/api/account/order?order=6001&locale=en`);
    expect(text(ext.body)).toContain("How satisfied are you with your order?");
    expect(ext.body.all("s-button").slice(0, 5).map(text)).toEqual(["1", "2", "3", "4", "5"]);
  });

  test("the page shows the balance, tier progress, codes with their Apply link, history and referral link, merchant text as text", async () => {
    const summary = {
      shop: { currency: "IDR", domain: "toko.myshopify.com" },
      rewards: [{ id: "r1", name: "<img src=x onerror=alert(1)>", pointsCost: 500 }],
      customer: {
        balance: 1250,
        pending: 120,
        history: [{ kind: "earn", points: 120, reason: null, at: "2026-12-01T10:00:00Z" }],
        referral: { code: "SITI-7K", url: "https://toko.example/?ref=SITI-7K" },
        tier: { name: "Silver" },
        nextTier: { name: "Gold", threshold: 1000, remaining: 400, basis: "points_earned" },
        redemptions: [{ id: "d1", rewardName: "Rp 50.000 off", code: "KMB-AB12", expiresAt: null }],
        welcome: { code: "KMB-WELC0ME", rewardName: "Welcome <b>gift</b>", expiresAt: null },
        stamps: { count: 3, target: 5, rewardPoints: 100 },
      },
    };
    const ext = loadExtension(bundles.account, {
      localesDir: "extensions/kembali-account/locales",
      routes: { "GET /api/account/summary": { status: 200, body: summary } },
    });
    ext.run("customer-account.page.render");
    await until(() => text(ext.body).includes("1,250 points"));
    expect(ext.requests[0]).toMatchObject({ url: `${APP_URL}/api/account/summary`, headers: { Authorization: "Bearer signed.token" } });
    const page = text(ext.body);
    for (const expected of [
      "120 points pending",
      "Your tier: Silver",
      "400 more points to reach Gold",
      "KMB-AB12",
      "+120",
      "Points earned",
      "https://toko.example/?ref=SITI-7K",
    ])
      expect(page).toContain(expected);
    expect(ext.body.all("s-progress")[0].getAttribute("value")).toBe("0.6");
    const apply = ext.body.all("s-link").filter((l) => text(l) === "Apply to cart");
    expect(apply.map((l) => l.getAttribute("href"))).toEqual([
      "https://toko.myshopify.com/discount/KMB-WELC0ME",
      "https://toko.myshopify.com/discount/KMB-AB12",
    ]);
    expect(page).toContain("<img src=x onerror=alert(1)>");
    expect(ext.body.all("img")).toHaveLength(0);
    // The welcome gift with its own Apply link, and the stamp card.
    expect(ext.body.all("s-section").map((x) => x.getAttribute("heading"))).toContain("Your welcome gift");
    expect(page).toContain("Welcome <b>gift</b>");
    expect(ext.body.all("b")).toHaveLength(0);
    expect(page).toContain("3 of 5 stamps — collect 2 more for 100 points");
    expect(ext.body.all("s-progress")[1].getAttribute("value")).toBe("0.6");
  });

  test("Redeem on an affordable reward posts its id with a request id, then shows the code with Apply to cart and Copy code", async () => {
    const summary = {
      shop: { currency: "IDR", domain: "toko.myshopify.com" },
      rewards: [
        { id: "r1", name: "Rp 50.000 off", pointsCost: 500 },
        { id: "r2", name: "Free tote", pointsCost: 5000 },
      ],
      customer: { balance: 1250, pending: 0, history: [], referral: null, tier: null, nextTier: null, redemptions: [] },
    };
    const redemption = { id: "d9", status: "issued", rewardName: "Rp 50.000 off", code: "KMB-NEWCODE", expiresAt: null, balance: 750 };
    const ext = loadExtension(bundles.account, {
      localesDir: "extensions/kembali-account/locales",
      routes: {
        "GET /api/account/summary": { status: 200, body: summary },
        "POST /api/account/redeem": { status: 200, body: { redemption } },
      },
    });
    ext.run("customer-account.page.render");
    await until(() => text(ext.body).includes("1,250 points"));
    const redeem = ext.body.all("s-button").filter((b) => text(b) === "Redeem");
    // Only the reward within the balance has the button.
    expect(redeem).toHaveLength(1);
    redeem[0].fire("click");
    await until(() => text(ext.body).includes("Redeemed! Your code: KMB-NEWCODE"));
    const posts = ext.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ url: `${APP_URL}/api/account/redeem`, headers: { Authorization: "Bearer signed.token" } });
    expect(posts[0].body).toEqual({ rewardId: "r1", requestId: expect.stringMatching(/^acct-[0-9a-f]{24}$/) });
    expect(text(ext.body)).toContain("750 points");
    const apply = ext.body.all("s-link").filter((l) => text(l) === "Apply to cart");
    expect(apply.map((l) => l.getAttribute("href"))).toEqual(["https://toko.myshopify.com/discount/KMB-NEWCODE"]);
    expect(ext.body.all("s-button").some((b) => text(b) === "Copy code")).toBe(true);
    expect(ext.body.all("s-clipboard-item").map((c) => c.getAttribute("text"))).toContain("KMB-NEWCODE");
  });
});

describe("merchant's and shoppers' text from the backend (issue 16)", () => {
  const HOSTILE = `<img src=x onerror=alert(1)><script>alert(1)</script>"'&`;

  test("no extension writes HTML: no dangerouslySetInnerHTML, innerHTML or insertAdjacentHTML in their sources", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const dirs = ["extensions/kembali-checkout/src", "extensions/kembali-account/src", "extensions/shared"];
    const files = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => /\.tsx?$/.test(f))
        .map((f) => `${d}/${f}`),
    );
    expect(files.length).toBeGreaterThan(4);
    for (const file of files)
      expect(readFileSync(file, "utf8"), file).not.toMatch(
        /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/,
      );
    for (const code of [bundles.checkout, bundles.account]) expect(code).not.toMatch(/insertAdjacentHTML|document\.write/);
  });

  test("the merchant's survey question is shown as text on the thank-you page and the order-status block", async () => {
    const survey = { ...due.survey!, question: `Question ${HOSTILE}` };
    for (const [bundle, dir, target, route] of [
      [bundles.checkout, "kembali-checkout", "purchase.thank-you.block.render", "GET /api/checkout/order"],
      [bundles.account, "kembali-account", "customer-account.order-status.block.render", "GET /api/account/order"],
    ] as const) {
      const ext = loadExtension(bundle, {
        localesDir: `extensions/${dir}/locales`,
        routes: { [route]: { status: 200, body: { ...due, survey } } },
      });
      ext.run(target);
      await until(() => ext.body.all("s-button").length > 0);
      expect(ext.body.all("s-heading").map(text)).toContain(`Question ${HOSTILE}`);
      expect(ext.body.all("img")).toHaveLength(0);
      expect(ext.body.all("script")).toHaveLength(0);
    }
  });

  test("tier names, an adjustment's reason, reward and gift names are text on the account page", async () => {
    const summary = {
      shop: { currency: "IDR", domain: "toko.myshopify.com" },
      rewards: [{ id: "r1", name: `Reward ${HOSTILE}`, pointsCost: 500 }],
      customer: {
        balance: 1250,
        pending: 0,
        history: [{ kind: "adjust", points: -20, reason: `Reason ${HOSTILE}`, at: "2026-12-01T10:00:00Z" }],
        referral: null,
        tier: { name: `Silver ${HOSTILE}` },
        nextTier: { name: `Gold ${HOSTILE}`, threshold: 1000, remaining: 400, basis: "points_earned" },
        redemptions: [{ id: "d1", rewardName: `Issued ${HOSTILE}`, code: "KMB-AB12", expiresAt: null }],
        welcome: null,
        stamps: null,
      },
    };
    const ext = loadExtension(bundles.account, {
      localesDir: "extensions/kembali-account/locales",
      routes: { "GET /api/account/summary": { status: 200, body: summary } },
    });
    ext.run("customer-account.page.render");
    await until(() => text(ext.body).includes("1,250 points"));
    const page = text(ext.body);
    for (const shown of [`Your tier: Silver ${HOSTILE}`, `Gold ${HOSTILE}`, `Reason ${HOSTILE}`, `Reward ${HOSTILE}`, `Issued ${HOSTILE}`])
      expect(page).toContain(shown);
    expect(ext.body.all("img")).toHaveLength(0);
    expect(ext.body.all("script")).toHaveLength(0);
  });
});
