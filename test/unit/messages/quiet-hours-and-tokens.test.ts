import { describe, expect, test } from "vitest";
import { isQuiet, knownTimeZone, localHour, quietHoursEnd } from "~/domain/messages/quiet-hours";
import { openToken, readOpenToken, readUnsubscribeToken, unsubscribeToken } from "~/domain/messages/tokens";

const NIGHT = { enabled: true, start: 21, end: 8 };
const at = (iso: string) => new Date(iso);
const end = (iso: string, zone: string, quiet = NIGHT) => quietHoursEnd(at(iso), zone, quiet)?.toISOString() ?? null;

describe("quiet hours in the shop's time zone", () => {
  test("Jakarta (UTC+7): 22:00 local waits until 08:00 local; 17:00 local does not wait", () => {
    expect(localHour(at("2026-12-07T15:00:00Z"), "Asia/Jakarta")).toBe(22);
    expect(end("2026-12-07T15:00:00Z", "Asia/Jakarta")).toBe("2026-12-08T01:00:00.000Z");
    expect(end("2026-12-07T10:00:00Z", "Asia/Jakarta")).toBeNull();
    // Just after midnight local, the same morning's 08:00.
    expect(end("2026-12-07T17:10:00Z", "Asia/Jakarta")).toBe("2026-12-08T01:00:00.000Z");
    // 07:59 local is quiet, 08:00 is not.
    expect(isQuiet(at("2026-12-08T00:59:00Z"), "Asia/Jakarta", NIGHT)).toBe(true);
    expect(isQuiet(at("2026-12-08T01:00:00Z"), "Asia/Jakarta", NIGHT)).toBe(false);
  });

  test("New York, the night the clocks go forward: the end is 08:00 EDT (12:00 UTC), not 13:00", () => {
    // 23:00 EST on 7 March 2026; at 02:00 on 8 March the clocks jump to 03:00 EDT.
    expect(localHour(at("2026-03-08T04:00:00Z"), "America/New_York")).toBe(23);
    expect(end("2026-03-08T04:00:00Z", "America/New_York")).toBe("2026-03-08T12:00:00.000Z");
  });

  test("New York, the night the clocks go back: the end is 08:00 EST (13:00 UTC)", () => {
    // 22:00 EDT on 31 October 2026; at 02:00 on 1 November the clocks go back to 01:00 EST.
    expect(end("2026-11-01T02:00:00Z", "America/New_York")).toBe("2026-11-01T13:00:00.000Z");
  });

  test("an end hour the clocks skip ends the quiet hours at the jump", () => {
    // Quiet from midnight to 02:00; on 8 March 2026 New York goes from 01:59 EST to 03:00 EDT.
    expect(end("2026-03-08T05:30:00Z", "America/New_York", { enabled: true, start: 0, end: 2 })).toBe("2026-03-08T07:00:00.000Z");
  });

  test("half-hour zones (Kolkata, UTC+5:30) end on the local hour", () => {
    expect(end("2026-12-07T16:00:00Z", "Asia/Kolkata")).toBe("2026-12-08T02:30:00.000Z");
  });

  test("quiet hours within one day, off, or of no length", () => {
    const afternoon = { enabled: true, start: 13, end: 15 };
    expect(end("2026-12-07T13:30:00Z", "UTC", afternoon)).toBe("2026-12-07T15:00:00.000Z");
    expect(end("2026-12-07T15:00:00Z", "UTC", afternoon)).toBeNull();
    expect(end("2026-12-07T23:00:00Z", "UTC", { ...NIGHT, enabled: false })).toBeNull();
    expect(end("2026-12-07T23:00:00Z", "UTC", { enabled: true, start: 8, end: 8 })).toBeNull();
  });

  test("an unknown zone is read as UTC", () => {
    expect(knownTimeZone("Mars/Olympus_Mons")).toBe("UTC");
    expect(knownTimeZone(null)).toBe("UTC");
    expect(end("2026-12-07T22:00:00Z", "Mars/Olympus_Mons")).toBe("2026-12-08T08:00:00.000Z");
  });
});

describe("link tokens", () => {
  const secret = "s3cret";
  test("an unsubscribe token names its customer and shop, and nothing else verifies", () => {
    const t = unsubscribeToken(secret, "shop1", "cust1");
    expect(readUnsubscribeToken(secret, t)).toEqual({ shopId: "shop1", customerId: "cust1" });
    expect(readUnsubscribeToken("other", t)).toBeNull();
    const [c, s, sig] = t.split(".");
    expect(readUnsubscribeToken(secret, `${s}.${c}.${sig}`)).toBeNull();
    expect(readUnsubscribeToken(secret, `cust2.${s}.${sig}`)).toBeNull();
    expect(readUnsubscribeToken(secret, `${c}.${s}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`)).toBeNull();
    expect(readUnsubscribeToken(secret, `${c}.${s}`)).toBeNull();
    expect(readUnsubscribeToken(secret, `${t}.x`)).toBeNull();
    expect(readUnsubscribeToken(secret, null)).toBeNull();
    expect(readUnsubscribeToken(secret, "x".repeat(500))).toBeNull();
  });

  test("an open token is not an unsubscribe token, nor the other way round", () => {
    const o = openToken(secret, "send1");
    expect(readOpenToken(secret, o)).toEqual({ sendId: "send1" });
    const [id, sig] = o.split(".");
    expect(readUnsubscribeToken(secret, `${id}.shop1.${sig}`)).toBeNull();
    const u = unsubscribeToken(secret, "shop1", "cust1");
    expect(readOpenToken(secret, `cust1.${u.split(".")[2]}`)).toBeNull();
    expect(readOpenToken(secret, "send1.forged")).toBeNull();
  });
});
