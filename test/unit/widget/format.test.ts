import { describe, expect, it } from "vitest";
import { readConfig } from "../../../widget/src/config";
import {
  earningSentence,
  entryLabel,
  formatDate,
  launcherLabel,
  pointsParts,
  pointsText,
  readState,
  signedPoints,
} from "../../../widget/src/format";
import { messages } from "../../../widget/src/i18n";

const { en, id } = messages;
// Intl puts no-break spaces between a currency and its amount.
const plain = (text: string) => text.replace(/\s/g, " ");

describe("earningSentence", () => {
  const perRp1000 = { points: 1, perAmount: 100_000 };
  const fivePer10Dollars = { points: 5, perAmount: 1_000 };

  it("formats IDR without decimals", () => {
    expect(plain(earningSentence(en, perRp1000, "IDR", "en"))).toBe("Earn 1 point for every IDR 1,000 spent");
    expect(plain(earningSentence(id, perRp1000, "IDR", "id"))).toBe("Dapatkan 1 poin setiap belanja Rp 1.000");
  });

  it("formats USD with cents and plural points", () => {
    expect(plain(earningSentence(en, fivePer10Dollars, "USD", "en"))).toBe("Earn 5 points for every $10.00 spent");
    expect(plain(earningSentence(id, fivePer10Dollars, "USD", "id"))).toBe("Dapatkan 5 poin setiap belanja US$10,00");
  });
});

describe("points", () => {
  it("formats balances for the shopper's language", () => {
    expect(pointsText(en, 1, "en")).toBe("1 point");
    expect(pointsText(en, 1250, "en")).toBe("1,250 points");
    expect(pointsText(id, 1250, "id")).toBe("1.250 poin");
  });

  it("keeps the number apart for the panel", () => {
    expect(pointsParts(en, 1250, "en")).toEqual(["", "1,250", " points"]);
    expect(pointsParts(id, 1250, "id")).toEqual(["", "1.250", " poin"]);
  });

  it("signs history entries", () => {
    expect(signedPoints(250, "en")).toBe("+250");
    expect(signedPoints(-1500, "id")).toBe("-1.500");
    expect(signedPoints(0, "en")).toBe("0");
  });
});

describe("history entries", () => {
  const entry = { kind: "earn", points: 250, reason: "Points for a paid order", at: "2026-11-20T10:00:00.000Z" };

  it("formats dates per language and hides invalid ones", () => {
    expect(formatDate(entry.at, "en")).toBe("Nov 20, 2026");
    expect(formatDate(entry.at, "id")).toBe("20 Nov 2026");
    expect(formatDate("not a date", "en")).toBe("");
  });

  it("prefers the server's reason, else names the kind", () => {
    expect(entryLabel(id, entry)).toBe("Points for a paid order");
    expect(entryLabel(id, { ...entry, reason: null })).toBe("Poin didapat");
    expect(entryLabel(en, { ...entry, kind: "expire", reason: null })).toBe("Points expired");
    expect(entryLabel(en, { ...entry, kind: "mystery", reason: null })).toBe("Balance adjusted");
  });
});

describe("readState", () => {
  const body = {
    shop: { currency: "IDR" },
    program: { earning: { points: 1, perAmount: 100_000 } },
    customer: { balance: 1250, pending: 300, history: [] },
  };

  it("reads a member's state", () => {
    expect(readState(body, "USD")).toEqual({
      currency: "IDR",
      earning: { points: 1, perAmount: 100_000 },
      customer: { balance: 1250, pending: 300, history: [] },
    });
  });

  it("reads a guest's state", () => {
    expect(readState({ ...body, customer: null }, "IDR").customer).toBeNull();
  });

  it("drops an earning rule it cannot show", () => {
    expect(readState({ ...body, program: {} }, "IDR").earning).toBeNull();
    expect(readState({ ...body, program: { earning: { points: 1, perAmount: 0 } } }, "IDR").earning).toBeNull();
    expect(readState({ ...body, shop: {} }, "").earning).toBeNull();
  });

  it("falls back to the page's currency", () => {
    expect(readState({ ...body, shop: {} }, "USD").currency).toBe("USD");
  });

  it("tolerates a member without history", () => {
    expect(readState({ ...body, customer: { balance: 5 } }, "IDR").customer).toEqual({ balance: 5, pending: 0, history: [] });
  });
});

describe("launcherLabel", () => {
  const config = (values: Record<string, string>) => readConfig((name) => values[name] ?? "");

  it("shows the title to guests", () => {
    expect(launcherLabel(config({}), en, null)).toEqual({ text: "Rewards" });
    expect(launcherLabel(config({ "data-title": "Club" }), en, null)).toEqual({ text: "Club" });
  });

  it("shows the balance to members and keeps the title in the accessible name", () => {
    expect(launcherLabel(config({ "data-locale": "id" }), id, 1250)).toEqual({
      text: "1.250 poin",
      name: "Hadiah: 1.250 poin",
    });
  });
});
