// The shopper's address behind Shopify's App Proxy and our own proxies: counted from the right,
// so whatever the shopper's request already carried in X-Forwarded-For never counts.
import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { clientIp } from "~/proxy.server";
import { addressKey } from "~/domain/ip-address";

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

describe("addressKey: what limits and welcome codes are kept under", () => {
  test("an IPv4 address is itself", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey(" 203.0.113.9 ")).toBe("203.0.113.9");
  });

  test("every address of one IPv6 /64 is one key, however it is written", () => {
    const key = "2001:db8:85a3:8d3::/64";
    for (const address of [
      "2001:db8:85a3:8d3:1319:8a2e:370:7348",
      "2001:0DB8:85A3:08D3:0000:0000:0000:0001",
      "2001:db8:85a3:8d3::",
      "2001:db8:85a3:8d3::ffff",
      "2001:db8:85a3:8d3:0:0:0.0.0.1",
      "[2001:db8:85a3:8d3::7]",
      "[2001:db8:85a3:8d3::7]:443",
      "fe80::1%eth0".replace("fe80::1", "2001:db8:85a3:8d3::1"),
    ])
      expect(addressKey(address), address).toBe(key);
    expect(addressKey("2001:db8:85a3:8d4::1")).toBe("2001:db8:85a3:8d4::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  test("an IPv4-mapped IPv6 address is its IPv4 address; a port is dropped", () => {
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::FFFF:cb00:7109")).toBe("203.0.113.9");
    expect(addressKey("0:0:0:0:0:ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("[::ffff:203.0.113.9]:8080")).toBe("203.0.113.9");
    expect(addressKey("203.0.113.9:51234")).toBe("203.0.113.9");
  });

  test("anything that is not an address has no key (a shopper cannot mint keys from junk)", () => {
    for (const junk of [
      "",
      "unknown",
      "203.0.113.256",
      "01.2.3.4",
      "2001:db8::1::2",
      "[2001:db8::1",
      "1.2.3.4.5",
      "::ffff:1.2.3",
      "a".repeat(100),
    ]) {
      expect(addressKey(junk), junk).toBeNull();
    }
  });

  test("agrees with Node's BlockList: two IPv6 addresses share a key exactly when they share a /64", () => {
    const sibling = fc.ipV6().chain((a) =>
      fc
        .oneof(
          fc.ipV6(),
          fc
            .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
            .map(([x, y]) => `${addressKey(a)!.replace("::/64", "")}:0:0:${x.toString(16)}:${y.toString(16)}`),
        )
        .map((b) => [a, b] as const),
    );
    fc.assert(
      fc.property(sibling, ([a, b]) => {
        // IPv4-mapped addresses are keyed as IPv4 (above).
        fc.pre(addressKey(a)!.includes(":") && addressKey(b)!.includes(":"));
        const subnet = new BlockList();
        subnet.addSubnet(addressKey(a)!.replace("::/64", "::"), 64, "ipv6");
        expect(addressKey(a) === addressKey(b)).toBe(subnet.check(b, "ipv6"));
      }),
      { numRuns: 2000 },
    );
  });
});
