// Shopify's Decimal strings from Kembali's integer minor units: the inverse of parseMoney.
import { currencyExponent } from "../../../common/money";

/** 2500000 IDR -> "25000.00", 1500 JPY -> "1500": built from the integer, never through a float. */
export function toDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`Not an amount in minor units: ${minor}`);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, "0");
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
