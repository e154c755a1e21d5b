// Money is an integer amount of minor units with its ISO 4217 currency. Shopify sends
// decimal strings ("250000.00"); parse them exactly, never through floating point.
export interface Money {
  amount: number; // minor units
  currency: string;
}

// ISO 4217 minor-unit exponents that differ from 2. IDR is 2 in ISO 4217 (and in Shopify's
// amounts) but is displayed without decimals, see DISPLAY_DIGITS.
const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
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
