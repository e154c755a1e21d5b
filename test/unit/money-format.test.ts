// Shopify's money formats (the shop's "HTML without currency" setting, Liquid's
// shop.money_format), shared by the storefront widget and the server through common/money.ts.
import { describe, expect, test } from "vitest";
import { fillMoneyFormat, isMoneyFormat, moneyFormatText, moneyText } from "../../common/money";

const usd = (amount: number) => ({ amount, currency: "USD" });

describe("Shopify money formats", () => {
  test.each([
    ["${{amount}}", 113_465, "$1,134.65"],
    ["${{amount_no_decimals}}", 113_465, "$1,135"],
    ["{{amount_with_comma_separator}} €", 113_465, "1.134,65 €"],
    ["{{amount_no_decimals_with_comma_separator}} kr", 113_465, "1.135 kr"],
    ["CHF {{amount_with_apostrophe_separator}}", 113_465, "CHF 1'134.65"],
    ["CHF {{amount_no_decimals_with_apostrophe_separator}}", 113_465, "CHF 1'135"],
    ["{{amount_with_space_separator}} €", 113_465, "1 134,65 €"],
    ["{{amount_no_decimals_with_space_separator}} Kč", 113_465, "1 135 Kč"],
    ["{{amount_with_period_and_space_separator}} €", 113_465, "1 134.65 €"],
    ["${{ amount }} USD", 113_465, "$1,134.65 USD"],
  ])("%s", (format, amount, expected) => {
    expect(fillMoneyFormat(format, usd(amount))).toBe(expected);
  });

  test("rupiah as the demo theme shows it, and large amounts group every three digits", () => {
    expect(fillMoneyFormat("Rp{{amount_no_decimals_with_comma_separator}}", { amount: 12_500_000, currency: "IDR" })).toBe("Rp125.000");
    expect(fillMoneyFormat("{{amount}}", usd(123_456_789_012))).toBe("1,234,567,890.12");
  });

  test("rounds half up to the decimals shown, exactly (no floating point)", () => {
    expect(fillMoneyFormat("{{amount_no_decimals}}", usd(150))).toBe("2");
    expect(fillMoneyFormat("{{amount_no_decimals}}", usd(149))).toBe("1");
    expect(fillMoneyFormat("{{amount_no_decimals}}", usd(50))).toBe("1");
    expect(fillMoneyFormat("{{amount}}", usd(5))).toBe("0.05");
    expect(fillMoneyFormat("{{amount}}", usd(0))).toBe("0.00");
    expect(fillMoneyFormat("{{amount_no_decimals}}", usd(0))).toBe("0");
    expect(fillMoneyFormat("{{amount}}", usd(-1999))).toBe("-19.99");
  });

  test("uses the currency's own minor units: yen has none, dinar three", () => {
    expect(fillMoneyFormat("¥{{amount_no_decimals}}", { amount: 1500, currency: "JPY" })).toBe("¥1,500");
    expect(fillMoneyFormat("¥{{amount}}", { amount: 1500, currency: "JPY" })).toBe("¥1,500.00");
    expect(fillMoneyFormat("{{amount}} KD", { amount: 1235, currency: "KWD" })).toBe("1.24 KD");
  });

  test("keeps the rest of the format and unknown placeholders as written", () => {
    expect(fillMoneyFormat("<span class=money>${{amount}}</span>", usd(100))).toBe("<span class=money>$1.00</span>");
    expect(fillMoneyFormat("{{price}} {{amount}}", usd(100))).toBe("{{price}} 1.00");
  });

  test("as text: markup in the merchant's format is dropped and entities decoded, never HTML", () => {
    expect(moneyFormatText('<span class="money">&euro;{{amount_with_comma_separator}}</span>')).toBe("€{{amount_with_comma_separator}}");
    expect(moneyFormatText("&#82;&#x70;{{amount}} &amp; &bogus;")).toBe("Rp{{amount}} & &bogus;");
    expect(moneyFormatText("<img src=x onerror=alert(1)>{{amount}}<script")).toBe("{{amount}}");
    expect(moneyText(usd(250), "<b>$</b>{{amount}}", "en")).toBe("$2.50");
    expect(moneyText(usd(250), "&lt;script&gt;{{amount}}", "en")).toBe("<script>2.50");
  });

  test("a missing or unusable format falls back to the locale's currency format", () => {
    expect(isMoneyFormat("Rp{{amount_no_decimals_with_comma_separator}}")).toBe(true);
    expect(isMoneyFormat("{{price}}")).toBe(false);
    expect(isMoneyFormat("")).toBe(false);
    expect(isMoneyFormat(`${"x".repeat(200)}{{amount}}`)).toBe(false);
    expect(moneyText({ amount: 12_500_000, currency: "IDR" }, "", "id")).toBe(
      new Intl.NumberFormat("id", { style: "currency", currency: "IDR", maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(
        125_000,
      ),
    );
    expect(moneyText(usd(250), "{{nope}}", "en")).toBe("$2.50");
    expect(moneyText({ amount: 12_500_000, currency: "IDR" }, "Rp{{amount_no_decimals_with_comma_separator}}", "en")).toBe("Rp125.000");
  });
});
