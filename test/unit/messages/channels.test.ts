// The non-email channels without a database: Klaviyo's Events API requests (shape, headers,
// dedupe key, retry and refusal, through msw), which channels an event goes to, the Flow
// triggers' payloads against their extension tomls, and which webhook addresses are refused.
import { readdirSync, readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { EVENT_TYPES } from "~/domain/messages/catalog";
import { RetryLater, type ChannelDelivery } from "~/domain/messages/channels";
import { channelsFor } from "~/domain/messages/channels-for";
import { FLOW_TRIGGERS, flowRequest, flowSender } from "~/domain/messages/flow";
import { KLAVIYO_EVENTS_URL, KLAVIYO_REVISION, klaviyoSender, maskedKlaviyoKey } from "~/domain/messages/klaviyo";
import { webhookUrlProblem } from "~/domain/messages/webhooks";
import { graphqlAdmin } from "~/shopify/admin/graphql.server";
import { localStoreAdmin } from "~/shopify/admin/local-store.server";
import { fakeShopifyAdmin } from "../../mocks/admin-graphql";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const KEY = "pk_0123456789abcdef0123456789abcdef01";
const NOW = new Date("2026-12-07T12:00:00Z");

function delivery(type: string, payload: unknown, more: Partial<ChannelDelivery["event"]> = {}): ChannelDelivery {
  return {
    shop: { id: "s1", domain: "toko.myshopify.com", name: "Toko", currency: "IDR", timezone: "Asia/Jakarta", klaviyoKey: KEY },
    send: { id: "send1", key: `klaviyo:${type}:evt1`, channel: "klaviyo", attempts: 0 },
    event: {
      id: "evt1",
      type,
      key: `${type}:evt1`,
      payload,
      createdAt: new Date("2026-12-07T10:00:00Z"),
      customer: {
        id: "c1",
        shopifyCustomerId: "7001",
        email: "ayu@example.com",
        firstName: "Ayu",
        lastName: null,
        balance: 340,
        tier: "gold",
      },
      ...more,
    },
  };
}

const earned = { shopifyOrderId: "5501", orderName: "#1001", points: 120, availableAt: null };

describe("Klaviyo", () => {
  test("GIVEN an event THEN one request shaped as Klaviyo's Create Event, with the key, revision and the send key as unique_id", async () => {
    const seen: Array<{ headers: Headers; body: unknown }> = [];
    server.use(
      http.post(KLAVIYO_EVENTS_URL, async ({ request }) => {
        seen.push({ headers: request.headers, body: await request.json() });
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await klaviyoSender()(delivery("points_earned", earned));
    expect(seen).toHaveLength(1);
    const { headers, body } = seen[0];
    expect(headers.get("authorization")).toBe(`Klaviyo-API-Key ${KEY}`);
    expect(headers.get("revision")).toBe(KLAVIYO_REVISION);
    expect(headers.get("content-type")).toBe("application/vnd.api+json");
    expect(body).toEqual({
      data: {
        type: "event",
        attributes: {
          properties: { ...earned, event_type: "points_earned", shop: "toko.myshopify.com", balance: 340, tier: "gold" },
          time: "2026-12-07T10:00:00.000Z",
          unique_id: "klaviyo:points_earned:evt1",
          metric: { data: { type: "metric", attributes: { name: "Kembali Points Earned" } } },
          profile: { data: { type: "profile", attributes: { external_id: "7001", email: "ayu@example.com", first_name: "Ayu" } } },
        },
      },
    });
  });

  test("GIVEN a retry of the same row THEN the same unique_id goes again, so Klaviyo keeps one event", async () => {
    const ids: string[] = [];
    let calls = 0;
    server.use(
      http.post(KLAVIYO_EVENTS_URL, async ({ request }) => {
        ids.push(((await request.json()) as { data: { attributes: { unique_id: string } } }).data.attributes.unique_id);
        calls += 1;
        return calls === 1 ? HttpResponse.json({ errors: [] }, { status: 503 }) : new HttpResponse(null, { status: 202 });
      }),
    );
    const send = klaviyoSender();
    const d = delivery("points_earned", earned);
    await expect(send(d)).rejects.toBeInstanceOf(RetryLater);
    await send({ ...d, send: { ...d.send, attempts: 1 } });
    expect(ids).toEqual(["klaviyo:points_earned:evt1", "klaviyo:points_earned:evt1"]);
  });

  test("GIVEN 429 with Retry-After THEN RetryLater after that long; a connection failure is RetryLater too", async () => {
    server.use(
      http.post(KLAVIYO_EVENTS_URL, () =>
        HttpResponse.json({ errors: [{ detail: "slow down" }] }, { status: 429, headers: { "Retry-After": "30" } }),
      ),
    );
    const error = await klaviyoSender(fetch, () => NOW)(delivery("points_earned", earned)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLater);
    expect((error as RetryLater).afterMs).toBe(30_000);

    server.use(http.post(KLAVIYO_EVENTS_URL, () => HttpResponse.error()));
    await expect(klaviyoSender()(delivery("points_earned", earned))).rejects.toBeInstanceOf(RetryLater);
  });

  test("GIVEN a 400 or 401 THEN a permanent error with Klaviyo's reason and never the key", async () => {
    server.use(
      http.post(KLAVIYO_EVENTS_URL, () =>
        HttpResponse.json({ errors: [{ status: 401, title: "Unauthorized", detail: `Key ${KEY} is not valid` }] }, { status: 401 }),
      ),
    );
    const error = (await klaviyoSender()(delivery("points_earned", earned)).catch((e: unknown) => e)) as Error;
    expect(error).not.toBeInstanceOf(RetryLater);
    expect(error.message).toContain("401");
    expect(error.message).not.toContain(KEY);
  });

  test("GIVEN no key, or an event about no customer THEN no request and a permanent error", async () => {
    const d = delivery("points_earned", earned);
    await expect(klaviyoSender()({ ...d, shop: { ...d.shop, klaviyoKey: null } })).rejects.not.toBeInstanceOf(RetryLater);
    await expect(klaviyoSender()(delivery("detractor_alert", {}, { customer: null }))).rejects.toThrow(/profile/);
  });

  test("GIVEN a stored key THEN the admin sees only its last four characters", () => {
    expect(maskedKlaviyoKey(KEY)).toBe("…ef01");
    expect(maskedKlaviyoKey(null)).toBeNull();
  });
});

describe("channelsFor", () => {
  const hooks = [
    { id: "h1", events: ["points_earned", "tier_changed"], active: true },
    { id: "h2", events: ["points_earned"], active: false },
    { id: "h3", events: ["win_back"], active: true },
  ];
  test("GIVEN Klaviyo and Flow on, a key and webhooks THEN the event goes to each that wants it", () => {
    expect(channelsFor({ klaviyoKey: KEY }, { klaviyo: true, flow: true }, hooks, "points_earned")).toEqual([
      "klaviyo",
      "flow",
      "webhook:h1",
    ]);
    // No Flow trigger for points_available; h3 did not ask for it.
    expect(channelsFor({ klaviyoKey: KEY }, { klaviyo: true, flow: true }, hooks, "points_available")).toEqual(["klaviyo"]);
    expect(channelsFor({ klaviyoKey: KEY }, { klaviyo: true, flow: true }, hooks, "win_back")).toEqual(["klaviyo", "flow", "webhook:h3"]);
  });
  test("GIVEN Klaviyo on without a key, or switched off THEN no Klaviyo; an unknown event goes nowhere", () => {
    expect(channelsFor({ klaviyoKey: null }, { klaviyo: true, flow: false }, hooks, "tier_changed")).toEqual(["webhook:h1"]);
    expect(channelsFor({ klaviyoKey: KEY }, { klaviyo: false, flow: false }, [], "tier_changed")).toEqual([]);
    expect(channelsFor({ klaviyoKey: KEY }, { klaviyo: true, flow: true }, [{ id: "h", events: ["nope"], active: true }], "nope")).toEqual(
      [],
    );
  });
});

describe("Shopify Flow", () => {
  /** Each flow_trigger extension's handle and field keys, read from its toml. */
  function extensions() {
    const out = new Map<string, { keys: string[]; references: string[] }>();
    for (const dir of readdirSync("extensions")) {
      let toml: string;
      try {
        toml = readFileSync(`extensions/${dir}/shopify.extension.toml`, "utf8");
      } catch {
        continue;
      }
      if (!/type = "flow_trigger"/.test(toml)) continue;
      const handle = /handle = "([^"]+)"/.exec(toml)![1];
      expect(dir).toBe(handle);
      const keys = [...toml.matchAll(/^key = "([^"]+)"/gm)].map((m) => m[1]);
      const references = [...toml.matchAll(/^type = "(\w+)_reference"/gm)].map((m) => `${m[1]}_id`);
      out.set(handle, { keys, references });
    }
    return out;
  }

  const samples: Record<string, unknown> = {
    points_earned: earned,
    points_expiring: { points: 50, expiresAt: "2026-12-20T00:00:00.000Z" },
    tier_changed: { from: "silver", to: "gold", toName: "Gold", direction: "up", version: 1, reason: "order" },
    reward_issued: { redemptionId: "r1", rewardName: "Rp25.000 off", code: null, expiresAt: null, source: "redemption" },
    referral_rewarded: { referralId: "f1", points: 200 },
    detractor_alert: { responseId: "x1", shopifyOrderId: "5501", score: 2, kind: "nps", comment: null },
    win_back: { from: "active", to: "at_risk" },
  };

  test("GIVEN every trigger THEN its payload has exactly its extension's fields, with values Flow accepts", () => {
    const found = extensions();
    expect([...found.keys()].sort()).toEqual(
      Object.values(FLOW_TRIGGERS)
        .map((t) => t.handle)
        .sort(),
    );
    for (const [type, trigger] of Object.entries(FLOW_TRIGGERS)) {
      const { handle, payload } = flowRequest(delivery(type, samples[type]));
      expect(handle).toBe(trigger.handle);
      const toml = found.get(handle)!;
      expect(Object.keys(payload).sort()).toEqual([...toml.references, ...toml.keys].sort());
      for (const key of toml.keys) expect(key).toMatch(/^[a-z ]+$/i);
      for (const value of Object.values(payload)) expect(value === null || value === undefined).toBe(false);
    }
    // Each of the events the issue names has a trigger.
    for (const type of ["points_earned", "tier_changed", "reward_issued", "detractor_alert", "win_back"]) {
      expect(Object.keys(FLOW_TRIGGERS)).toContain(type);
    }
    expect(EVENT_TYPES).toEqual(expect.arrayContaining(Object.keys(FLOW_TRIGGERS)));
  });

  test("GIVEN an event WHEN sent THEN the shop's Flow receives the trigger; a refusal fails it, throttling retries", async () => {
    const admin = localStoreAdmin();
    const send = flowSender(async () => admin);
    await send(delivery("tier_changed", samples.tier_changed));
    expect(admin.state.flowTriggers.map(({ handle, payload }) => ({ handle, payload }))).toEqual([
      { handle: "kembali-flow-tier-changed", payload: { customer_id: 7001, tier: "Gold", "previous tier": "silver", direction: "up" } },
    ]);
    // A guest's detractor answer: the order is the reference.
    await send(delivery("detractor_alert", samples.detractor_alert, { customer: null }));
    expect(admin.state.flowTriggers[1].payload).toEqual({ order_id: 5501, score: 2, comment: "", "survey kind": "nps" });

    admin.rejectNext("Errors validating schema");
    await expect(send(delivery("win_back", samples.win_back))).rejects.not.toBeInstanceOf(RetryLater);
    const { ShopifyAdminError } = await import("~/shopify/admin/errors");
    const throttled = flowSender(async () => ({
      ...admin,
      flowTriggerReceive: async () => {
        throw new ShopifyAdminError("throttled", "KembaliFlowTriggerReceive", "throttled");
      },
    }));
    await expect(throttled(delivery("win_back", samples.win_back))).rejects.toBeInstanceOf(RetryLater);
    expect(admin.state.flowTriggers).toHaveLength(2);
  });
});

describe("Shopify Flow over the Admin GraphQL API (msw)", () => {
  test("GIVEN an event THEN flowTriggerReceive carries the handle and payload; a 500 is RetryLater, a userError fails", async () => {
    const fake = fakeShopifyAdmin();
    server.use(fake.handler);
    const admin = graphqlAdmin(fake.graphql, { sleep: async () => {} });
    const send = flowSender(async () => admin);
    const points = { shopifyOrderId: "5501", orderName: "#1001", points: 120, availableAt: null };
    await send(delivery("points_earned", points));
    expect(fake.state.flowTriggers).toEqual([
      { handle: "kembali-flow-points-earned", payload: { customer_id: 7001, points: 120, balance: 340, "order name": "#1001" } },
    ]);
    fake.inject({ kind: "http", status: 500 });
    await expect(send(delivery("points_earned", points))).rejects.toBeInstanceOf(RetryLater);
    fake.inject({ kind: "userErrors", userErrors: [{ field: ["payload"], message: "Errors validating schema" }] });
    const refused = await send(delivery("points_earned", points)).catch((e: unknown) => e);
    expect(refused).not.toBeInstanceOf(RetryLater);
    expect(fake.state.flowTriggers).toHaveLength(1);
  });
});

describe("webhook addresses", () => {
  test.each([
    ["http://hooks.example.com/k", "Must start with https://"],
    ["https://localhost/k", "Not a public address"],
    ["https://127.0.0.1/k", "Not a public address"],
    ["https://10.1.2.3/k", "Not a public address"],
    ["https://172.20.0.1/k", "Not a public address"],
    ["https://192.168.1.10/k", "Not a public address"],
    ["https://169.254.169.254/latest/meta-data", "Not a public address"],
    ["https://[::1]/k", "Not a public address"],
    ["https://[fe80::1]/k", "Not a public address"],
    ["https://[fd00::1]/k", "Not a public address"],
    ["https://[::ffff:127.0.0.1]/k", "Not a public address"],
    ["https://intranet/k", "Not a public address"],
    ["https://user:pass@hooks.example.com/k", "No user name or password in the address"],
    ["not a url", "Not a URL"],
    [`https://hooks.example.com/${"a".repeat(600)}`, "At most 500 characters"],
  ])("GIVEN %s THEN refused: %s", (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });

  test("GIVEN a public https address THEN accepted; in demo mode and tests a local http one is too", () => {
    expect(webhookUrlProblem("https://hooks.example.com/kembali?x=1")).toBeNull();
    expect(webhookUrlProblem("https://203.0.113.9/k")).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:4000/k", { insecure: true })).toBeNull();
    expect(webhookUrlProblem("ftp://127.0.0.1/k", { insecure: true })).toBe("Must start with https://");
  });
});
