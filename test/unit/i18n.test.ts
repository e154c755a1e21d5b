import { describe, expect, test } from "vitest";
import { messages, pickLocale, translate } from "~/i18n";

describe("admin translations", () => {
  test("English and Bahasa Indonesia have the same keys and no empty text", () => {
    expect(Object.keys(messages.id).sort()).toEqual(Object.keys(messages.en).sort());
    for (const dict of Object.values(messages)) for (const text of Object.values(dict)) expect(text.trim()).not.toBe("");
  });

  test("placeholders survive translation", () => {
    for (const key of Object.keys(messages.en) as Array<keyof typeof messages.en>) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(messages.id[key]), key).toEqual(names(messages.en[key]));
    }
    expect(translate("id", "program.example", { amount: "Rp250.000", points: "250" })).toBe("Pesanan Rp250.000 mendapat 250 poin.");
  });

  test("the admin language: ?locale= first, then the remembered cookie, then the browser", () => {
    expect(pickLocale(new Request("http://x/app?locale=id"))).toBe("id");
    expect(pickLocale(new Request("http://x/app", { headers: { Cookie: "kembali_locale=id" } }))).toBe("id");
    expect(pickLocale(new Request("http://x/app", { headers: { "Accept-Language": "id-ID,id;q=0.9" } }))).toBe("id");
    expect(pickLocale(new Request("http://x/app?locale=en", { headers: { Cookie: "kembali_locale=id" } }))).toBe("en");
    expect(pickLocale(new Request("http://x/app"))).toBe("en");
  });
});
