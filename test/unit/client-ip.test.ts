// The shopper's address behind Shopify's App Proxy and our own proxies: counted from the right,
// so whatever the shopper's request already carried in X-Forwarded-For never counts.
import { describe, expect, test } from "vitest";
import { clientIp } from "~/proxy.server";

describe("clientIp", () => {
  test("with one load balancer, the entry before the last is the shopper's", () => {
    expect(clientIp("203.0.113.9, 10.0.0.1", 1)).toBe("203.0.113.9");
    expect(clientIp("203.0.113.9", 0)).toBe("203.0.113.9");
  });

  test("addresses the shopper put in the header themselves are ignored", () => {
    // The shopper sent "X-Forwarded-For: 1.2.3.4"; Shopify appended their real address, the load balancer its peer.
    expect(clientIp("1.2.3.4, 203.0.113.9, 10.0.0.1", 1)).toBe("203.0.113.9");
    expect(clientIp("1.2.3.4,5.6.7.8 , 203.0.113.9", 0)).toBe("203.0.113.9");
  });

  test("fewer entries than proxies, or none: no address (never a shopper-chosen one)", () => {
    expect(clientIp("203.0.113.9", 1)).toBeNull();
    expect(clientIp(null, 1)).toBeNull();
    expect(clientIp(" , ", 0)).toBeNull();
  });
});
