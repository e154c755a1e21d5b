// A webhook's raw body as JSON, exactly: Shopify's ids are 64-bit, so an integer past 2^53 is
// kept as its decimal digits (a string) instead of being rounded by JSON.parse; every other
// number is read as JSON.parse reads it. Anything that is not UTF-8 JSON is BAD_INPUT.
import { parse } from "lossless-json";
import { KembaliError } from "../domain/errors";
import { UNSTORABLE } from "../http.server";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function parseNumber(text: string): number | string {
  const value = Number(text);
  return /^-?\d+$/.test(text) && !Number.isSafeInteger(value) ? text : value;
}

// NUL and lone surrogates cannot be stored as text; in a webhook they become U+FFFD wherever
// they are, so that a stray character in a name never costs an order its points.

function storable(_key: string, value: unknown): unknown {
  return typeof value === "string" ? value.replace(UNSTORABLE, "\uFFFD") : value;
}

export function parseWebhookJson(raw: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new KembaliError("BAD_INPUT", "Body is not UTF-8");
  }
  try {
    return parse(text, storable, parseNumber);
  } catch {
    // A syntax error, a duplicate key with another value, or nesting deeper than the stack.
    throw new KembaliError("BAD_INPUT", "Body is not JSON");
  }
}
