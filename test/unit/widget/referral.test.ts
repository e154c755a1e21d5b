import { afterEach, describe, expect, it, vi } from "vitest";
import { capture, readRemembered, refFromQuery, remember } from "../../../widget/src/referral";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23);

describe("refFromQuery", () => {
  it.each([
    ["?ref=ANDI-7K2", "ANDI-7K2"],
    ["?utm_source=wa&ref=abc123", "abc123"],
    [`?ref=${"A".repeat(32)}`, "A".repeat(32)],
  ])("reads %j", (search, code) => {
    expect(refFromQuery(search)).toBe(code);
  });

  it.each(["", "?ref=", "?ref=a b", "?ref=a_b", "?ref=%3Cscript%3E", "?ref=andi@mail", `?ref=${"A".repeat(33)}`])(
    "ignores %j",
    (search) => {
      expect(refFromQuery(search)).toBeNull();
    },
  );
});

describe("readRemembered", () => {
  const stored = (value: unknown) => JSON.stringify(value);

  it("keeps a code for 30 days", () => {
    const record = { code: "ANDI", at: NOW - 29 * DAY, sent: true };
    expect(readRemembered(stored(record), NOW)).toEqual(record);
    expect(readRemembered(stored({ ...record, at: NOW - 30 * DAY }), NOW)).toBeNull();
  });

  it.each([null, "", "not json", "null", stored({ code: 5, at: NOW }), stored({ code: "a b", at: NOW }), stored({ code: "ANDI" })])(
    "forgets %j",
    (raw) => {
      expect(readRemembered(raw, NOW)).toBeNull();
    },
  );
});

describe("remember", () => {
  const old = { code: "ANDI", at: NOW - 5 * DAY, sent: true };

  it("keeps what it has when the page has no code", () => {
    expect(remember(old, null, NOW)).toBe(old);
    expect(remember(null, null, NOW)).toBeNull();
  });

  it("restarts the 30 days when the same link is followed again, without recording the visit twice", () => {
    expect(remember(old, "ANDI", NOW)).toEqual({ code: "ANDI", at: NOW, sent: true });
  });

  it("lets a newer link replace the older one (last click wins) and records its visit", () => {
    expect(remember(old, "BUDI", NOW)).toEqual({ code: "BUDI", at: NOW, sent: false });
  });
});

describe("capture", () => {
  const welcome = vi.fn();
  afterEach(() => {
    welcome.mockReset();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  function page(search: string, stored: Record<string, string> = {}, cartAttributes: Record<string, string> = {}) {
    const storage = { ...stored };
    const calls: Array<{ url: string; body?: unknown }> = [];
    vi.stubGlobal("location", { search });
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => storage[key] ?? null,
      setItem: (key: string, value: string) => (storage[key] = value),
    });
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, body: init.body && JSON.parse(init.body as string) });
        if (url.endsWith("/referral/claim")) return Response.json({ reward: { status: "issued", code: "REF-WELCOME" } });
        return Response.json(url == "/cart.js" ? { attributes: cartAttributes } : { ok: true });
      }),
    );
    vi.setSystemTime(NOW);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    return { storage, calls, settle };
  }

  it("remembers a ?ref= code, records the visit and writes the code onto the cart", async () => {
    const { storage, calls, settle } = page("?ref=ANDI");
    capture("/apps/kembali", welcome);
    await settle();
    expect(calls).toEqual([
      { url: "/apps/kembali/referral/visit", body: { code: "ANDI" } },
      { url: "/apps/kembali/referral/claim", body: { code: "ANDI", requestId: expect.stringMatching(/^[0-9a-f]{32}$/) } },
      { url: "/cart.js" },
      { url: "/cart/update.js", body: { attributes: { kembali_ref: "ANDI" } } },
    ]);
    expect(JSON.parse(storage.kembali_ref)).toEqual({ code: "ANDI", at: NOW, sent: true });
    expect(welcome).toHaveBeenCalledWith({ reward: { status: "issued", code: "REF-WELCOME" } });
  });

  it("asks for the welcome code again when the link is followed again (the app answers the same code), never on other pages", async () => {
    const remembered = JSON.stringify({ code: "ANDI", at: NOW - DAY, sent: true });
    const again = page("?ref=ANDI", { kembali_ref: remembered }, { kembali_ref: "ANDI" });
    capture("/apps/kembali", welcome);
    await again.settle();
    expect(again.calls.map((c) => c.url)).toEqual(["/apps/kembali/referral/claim", "/cart.js"]);
    const later = page("", { kembali_ref: remembered }, { kembali_ref: "ANDI" });
    capture("/apps/kembali", welcome);
    await later.settle();
    expect(later.calls.map((c) => c.url)).toEqual(["/cart.js"]);
    expect(welcome).toHaveBeenCalledTimes(1);
  });

  it("days later, puts the remembered code back on a cart that lost it, without a second visit", async () => {
    const remembered = JSON.stringify({ code: "ANDI", at: NOW - 3 * DAY, sent: true });
    const { calls, settle } = page("", { kembali_ref: remembered });
    capture("/apps/kembali", welcome);
    await settle();
    expect(calls.map((c) => c.url)).toEqual(["/cart.js", "/cart/update.js"]);
  });

  it("leaves a cart that already carries the code alone", async () => {
    const remembered = JSON.stringify({ code: "ANDI", at: NOW - DAY, sent: true });
    const { calls, settle } = page("", { kembali_ref: remembered }, { kembali_ref: "ANDI" });
    capture("/apps/kembali", welcome);
    await settle();
    expect(calls.map((c) => c.url)).toEqual(["/cart.js"]);
  });

  it("does nothing without a code, and never throws", async () => {
    const { calls, settle } = page("?ref=<bad>");
    capture("/apps/kembali", welcome);
    await settle();
    expect(calls).toEqual([]);

    vi.stubGlobal("localStorage", {
      getItem: () => {
        throw new Error("storage blocked");
      },
    });
    expect(() => capture("/apps/kembali", welcome)).not.toThrow();
  });

  it("swallows network errors", async () => {
    const { settle } = page("?ref=ANDI");
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("offline")));
    capture("/apps/kembali", welcome);
    await settle();
  });
});
