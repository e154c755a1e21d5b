import { describe, expect, test } from "vitest";
import { adminFormats, formatMessage, knownTimeZone, messageArguments, messages, pickLocale, translate } from "~/i18n";

describe("admin translations", () => {
  test("English and Bahasa Indonesia have the same keys and no empty text", () => {
    expect(Object.keys(messages.id).sort()).toEqual(Object.keys(messages.en).sort());
    for (const dict of Object.values(messages)) for (const text of Object.values(dict)) expect(text.trim()).not.toBe("");
  });

  test("placeholders survive translation", () => {
    for (const key of Object.keys(messages.en) as Array<keyof typeof messages.en>) {
      expect(messageArguments(messages.id[key]), key).toEqual(messageArguments(messages.en[key]));
    }
    expect(translate("id", "program.example", { amount: "Rp250.000", points: "250" })).toBe("Pesanan Rp250.000 mendapat 250 poin.");
  });

  test("plurals follow each language's rules: English has one and other, Indonesian one form", () => {
    // GIVEN the earning rule at one point, and at several
    expect(translate("en", "home.rule", { points: 1, amount: "$1.00" })).toBe("Customers earn 1 point for every $1.00 spent.");
    expect(translate("en", "home.rule", { points: 2, amount: "$1.00" })).toBe("Customers earn 2 points for every $1.00 spent.");
    expect(translate("en", "home.rule", { points: 0, amount: "$1.00" })).toBe("Customers earn 0 points for every $1.00 spent.");
    // A number is shown in the admin's format; one already formatted is counted by its digits.
    expect(translate("en", "tiers.points", { points: 1500 })).toBe("1,500 points");
    expect(translate("en", "tiers.points", { points: "1,000" })).toBe("1,000 points");
    expect(translate("en", "tiers.points", { points: "1" })).toBe("1 point");
    expect(translate("en", "tiers.current.noTier", { count: 1 })).toBe("1 customer has no tier yet.");
    expect(translate("id", "home.rule", { points: 1, amount: "Rp1.000" })).toBe(
      messages.id["home.rule"].replace("{points}", "1").replace("{amount}", "Rp1.000"),
    );
    expect(translate("id", "tiers.points", { points: 1 })).toBe("1 poin");
    // Exact forms, nested arguments and Indonesian's single form through the same syntax.
    const rule = "{n, plural, =0 {no points yet} one {# point at {shop}} other {# points at {shop}}}";
    expect(formatMessage("en", rule, { n: 0, shop: "A" })).toBe("no points yet");
    expect(formatMessage("en", rule, { n: 1, shop: "A" })).toBe("1 point at A");
    expect(formatMessage("en", rule, { n: 1000, shop: "A" })).toBe("1,000 points at A");
    expect(formatMessage("id", "{n, plural, other {# poin}}", { n: 1000 })).toBe("1.000 poin");
    expect(messageArguments(rule)).toEqual(["n", "shop"]);
  });

  test("no English message says '1 points': every count before a counted noun is a plural argument", () => {
    for (const [key, text] of Object.entries(messages.en)) {
      expect(text, key).not.toMatch(/\{(count|points|days|months|total|limit)\} (points|days|months|orders|customers|members|rows)\b/);
    }
  });

  test("the admin language: ?locale= first, then the remembered cookie, then the browser", () => {
    expect(pickLocale(new Request("http://x/app?locale=id"))).toBe("id");
    expect(pickLocale(new Request("http://x/app", { headers: { Cookie: "kembali_locale=id" } }))).toBe("id");
    expect(pickLocale(new Request("http://x/app", { headers: { "Accept-Language": "id-ID,id;q=0.9" } }))).toBe("id");
    expect(pickLocale(new Request("http://x/app?locale=en", { headers: { Cookie: "kembali_locale=id" } }))).toBe("en");
    expect(pickLocale(new Request("http://x/app"))).toBe("en");
  });

  test("admin dates are shown in the shop's time zone; a plan's UTC month keeps UTC days; an unknown zone is UTC", () => {
    // GIVEN 17:30 UTC on 31 December, which is already 1 January in Jakarta (UTC+7)
    const at = new Date("2026-12-31T17:30:00Z");
    const jakarta = adminFormats("en", "Asia/Jakarta");
    expect(jakarta.timeZone).toBe("Asia/Jakarta");
    expect(jakarta.day.format(at)).toBe("Jan 1, 2027");
    expect(jakarta.dateTime.format(at)).toMatch(/^Jan 1, 2027, 12:30\sAM$/);
    expect(jakarta.utcDay.format(at)).toBe("Dec 31, 2026");
    expect(adminFormats("id", "Asia/Jakarta").day.format(at)).toBe("1 Jan 2027");
    expect(adminFormats("en").day.format(at)).toBe("Dec 31, 2026");
    expect(adminFormats("en", "Mars/Olympus").timeZone).toBe("UTC");
    expect(knownTimeZone("America/New_York")).toBe("America/New_York");
    expect(knownTimeZone("")).toBe("UTC");
  });
});
