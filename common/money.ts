// Money is an integer amount of minor units with its ISO 4217 currency. Shopify sends
// decimal strings ("250000.00"); parse them exactly, never through floating point.
export interface Money {
  amount: number; // minor units
  currency: string;
}

// ISO 4217 minor-unit exponents that differ from 2. IDR is 2 in ISO 4217 (and in Shopify's
// amounts) but is displayed without decimals, see DISPLAY_DIGITS.
const EXPONENT: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};
const DISPLAY_DIGITS: Record<string, number> = { IDR: 0 };

export function currencyExponent(currency: string): number {
  return EXPONENT[currency.toUpperCase()] ?? 2;
}

/** One whole unit of the currency, in minor units (100 for USD, 1 for JPY). */
export function oneUnit(currency: string): number {
  return 10 ** currencyExponent(currency);
}

/** "250000.00" IDR -> 25000000. Rejects anything that is not a plain non-negative decimal. */
export function parseMoney(value: string | number, currency: string): Money {
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`Not a money amount: ${JSON.stringify(value)}`);
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? "").padEnd(exponent, "0");
  if (fraction.length > exponent && /[^0]/.test(fraction.slice(exponent))) {
    throw new RangeError(`${text} has more decimals than ${currency} allows`);
  }
  const amount = Number(match[1]) * 10 ** exponent + Number(fraction.slice(0, exponent) || "0");
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Amount too large: ${text}`);
  return { amount, currency: currency.toUpperCase() };
}

export function formatMoney(money: Money, locale = "en"): string {
  const exponent = currencyExponent(money.currency);
  const digits = DISPLAY_DIGITS[money.currency] ?? exponent;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(money.amount / 10 ** exponent);
}

// Shopify's money formats (Settings › General › Store currency: "HTML without currency" is
// Liquid's shop.money_format, e.g. "Rp{{amount_no_decimals_with_comma_separator}}"). Each
// placeholder fixes the decimals and the separators; Shopify rounds half up to the shown
// decimals. [decimals, thousands separator, decimal separator]
const PLACEHOLDERS: Record<string, [number, string, string]> = {
  amount: [2, ",", "."],
  amount_no_decimals: [0, ",", "."],
  amount_with_comma_separator: [2, ".", ","],
  amount_no_decimals_with_comma_separator: [0, ".", ","],
  amount_with_apostrophe_separator: [2, "'", "."],
  amount_no_decimals_with_apostrophe_separator: [0, "'", "."],
  amount_with_space_separator: [2, " ", ","],
  amount_no_decimals_with_space_separator: [0, " ", ","],
  amount_with_period_and_space_separator: [2, " ", "."],
};
const PLACEHOLDER = /{{\s*(\w+)\s*}}/g;

/** The amount with `decimals` decimals (half up), grouped by threes: exact, no floating point. */
function amountText({ amount, currency }: Money, [decimals, thousands, point]: [number, string, string]): string {
  const shift = decimals - currencyExponent(currency);
  const size = Math.abs(amount);
  const scaled = shift >= 0 ? size * 10 ** shift : Math.floor((size + 10 ** -shift / 2) / 10 ** -shift);
  const digits = String(scaled).padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+$)/g, thousands);
  return (amount < 0 && scaled ? "-" : "") + whole + (decimals ? point + digits.slice(-decimals) : "");
}

/**
 * The format with its placeholders filled in, as Shopify's money filter does (anything else in
 * the format, HTML included, is kept as written; an unknown placeholder stays as it is). For
 * HTML that Liquid would output; text for the page goes through moneyText.
 */
export function fillMoneyFormat(format: string, money: Money): string {
  return format.replace(PLACEHOLDER, (whole, name: string) => (PLACEHOLDERS[name] ? amountText(money, PLACEHOLDERS[name]) : whole));
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
};

/**
 * A money format as plain text: merchants' formats may carry markup ("<span class=money>…")
 * and entities ("&euro;{{amount}}"); tags are dropped and entities decoded, so the result
 * is only ever used as text, never parsed as HTML.
 */
export function moneyFormatText(format: string): string {
  return format
    .replace(/<[^>]*>?/g, "")
    .replace(/&(?:#(\d{1,6})|#x([\da-f]{1,5})|(\w+));/gi, (entity, dec?: string, hex?: string, name?: string) => {
      const code = dec ? Number(dec) : hex ? parseInt(hex, 16) : NaN;
      return name ? (ENTITIES[name.toLowerCase()] ?? entity) : code > 0 && code < 0x110000 ? String.fromCodePoint(code) : entity;
    });
}

/** A usable shop money format: one with a placeholder we know, at most 200 characters. */
export function isMoneyFormat(format: string): boolean {
  return format.length <= 200 && [...format.matchAll(PLACEHOLDER)].some(([, name]) => name in PLACEHOLDERS);
}

/** Money as text in the shop's own format ("Rp125.000"), else in the locale's (Intl). */
export function moneyText(money: Money, format: string | null | undefined, locale = "en"): string {
  return format && isMoneyFormat(format) ? fillMoneyFormat(moneyFormatText(format), money).trim() : formatMoney(money, locale);
}
