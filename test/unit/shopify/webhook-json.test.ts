import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { parseWebhookJson } from "~/shopify/webhook-json";
import { verifyWebhookSignature, webhookSignature } from "~/shopify/webhook-signature";
import { shopifyId } from "~/shopify/webhook-payloads";

const parse = (text: string) => parseWebhookJson(new TextEncoder().encode(text));

describe("parseWebhookJson", () => {
  test("integers past 2^53 come out as their exact digits; every other number as JSON.parse reads it", () => {
    expect(parse('{"id":820982911946154508,"n":9007199254740991,"m":-9007199254740993,"f":12.5,"e":1e3,"z":-0}')).toEqual({
      id: "820982911946154508",
      n: 9007199254740991,
      m: "-9007199254740993",
      f: 12.5,
      e: 1000,
      z: -0,
    });
  });

  test("agrees with JSON.parse on any JSON without large integers", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        fc.pre(!/\d{16,}/.test(text) && !/\\u0000|\\ud[89a-f]/i.test(text));
        expect(parse(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  test("__proto__ is an ordinary key, never the prototype", () => {
    const value = parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(value.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("NUL and lone surrogates become U+FFFD; well-formed pairs stay", () => {
    expect(parse('["a\\u0000b","\\ud800","\\udc00x","\\ud83d\\udca5"]')).toEqual(["a\uFFFDb", "\uFFFD", "\uFFFDx", "💥"]);
  });

  test.each(["{", "NaN", "", "01", "[1,]", "{'a':1}", '{"a":1,"a":2}'])("refuses %j with BAD_INPUT", (text) => {
    expect(() => parse(text)).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });

  test("refuses bytes that are not UTF-8", () => {
    expect(() => parseWebhookJson(new Uint8Array([0x22, 0xff, 0x22]))).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });
});

describe("shopifyId", () => {
  test.each([
    ["820982911946154508", "820982911946154508"],
    [9007199254740991, "9007199254740991"],
    ["18446744073709551615", "18446744073709551615"],
  ])("keeps %j as %j", (input, output) => {
    expect(shopifyId.parse(input)).toBe(output);
  });

  test.each([9007199254740992, 1.5, 0, -1, "0", "-1", "007", "1e3", " 1", "123456789012345678901", "", "１２"])("refuses %j", (input) => {
    expect(shopifyId.safeParse(input).success).toBe(false);
  });
});

describe("verifyWebhookSignature", () => {
  const body = new TextEncoder().encode('{"id":1}');
  test("accepts Shopify's base64 HMAC of the exact bytes, and nothing else", () => {
    expect(verifyWebhookSignature(body, webhookSignature(body, "s"), "s")).toBe(true);
    expect(verifyWebhookSignature(body, webhookSignature(body, "other"), "s")).toBe(false);
    expect(verifyWebhookSignature(new TextEncoder().encode('{"id":2}'), webhookSignature(body, "s"), "s")).toBe(false);
    expect(verifyWebhookSignature(body, Buffer.from(webhookSignature(body, "s"), "base64").toString("hex"), "s")).toBe(false);
    expect(verifyWebhookSignature(body, webhookSignature(body, "s").slice(0, -1), "s")).toBe(false);
    expect(verifyWebhookSignature(body, null, "s")).toBe(false);
    expect(verifyWebhookSignature(body, "", "s")).toBe(false);
  });
});
