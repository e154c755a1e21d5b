// Demo mode's request guard (app/demo-guard.js), shared by server.js (the raw socket, before
// Remix) and the app's demo guard (the load context): this computer only, no proxy in between,
// and POSTs only from the app's own pages.
import { describe, expect, test } from "vitest";
import { crossSiteRefusal, demoRefusal, isForwardingHeader, isLoopbackAddress } from "~/demo-guard.js";

const local = { remoteAddress: "127.0.0.1", hostname: "127.0.0.1", headerNames: ["host", "accept", "user-agent"] };

describe("isLoopbackAddress", () => {
  test("127.0.0.0/8 and ::1, also IPv4-mapped", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "::FFFF:127.0.0.1"]) expect(isLoopbackAddress(a), a).toBe(true);
  });
  test("anything else, or no address at all, is not", () => {
    for (const a of [
      "192.168.1.20",
      "10.0.0.1",
      "0.0.0.0",
      "::",
      "::ffff:10.0.0.1",
      "fe80::1",
      "127.0.0.1.evil",
      "localhost",
      "",
      undefined,
      null,
      2130706433,
    ]) {
      expect(isLoopbackAddress(a), String(a)).toBe(false);
    }
  });
});

describe("demoRefusal", () => {
  test("a request from this computer to a loopback host with no proxy headers is answered", () => {
    expect(demoRefusal(local)).toBeNull();
    expect(demoRefusal({ ...local, remoteAddress: "::ffff:127.0.0.1", hostname: "localhost", httpVersion: "1.1" })).toBeNull();
    expect(demoRefusal({ ...local, remoteAddress: "::1", hostname: "[::1]", httpVersion: "2.0" })).toBeNull();
  });

  test("GIVEN Host: 127.0.0.1 sent from another computer THEN refused (the Host header proves nothing)", () => {
    expect(demoRefusal({ ...local, remoteAddress: "192.0.2.10" })).toMatch(/this computer/);
    expect(demoRefusal({ ...local, remoteAddress: undefined })).toMatch(/this computer/);
  });

  test("GIVEN a reverse proxy's headers THEN refused, whatever their case", () => {
    for (const h of [
      "X-Forwarded-For",
      "x-forwarded-host",
      "X-Forwarded-Proto",
      "X-Forwarded-Port",
      "Forwarded",
      "X-Real-IP",
      "Via",
      "CF-Connecting-IP",
      "True-Client-IP",
    ]) {
      expect(isForwardingHeader(h), h).toBe(true);
      expect(demoRefusal({ ...local, headerNames: [...local.headerNames, h] }), h).toMatch(/proxied/);
    }
    for (const h of ["origin", "referer", "cookie", "content-type", "x-requested-with"]) expect(isForwardingHeader(h), h).toBe(false);
  });

  test("GIVEN another site's host name resolving to 127.0.0.1 (DNS rebinding) THEN refused", () => {
    expect(demoRefusal({ ...local, hostname: "evil.example" })).toMatch(/host name/);
    expect(demoRefusal({ ...local, hostname: null })).toMatch(/host name/);
  });

  test("GIVEN HTTP/1.0 (nginx's default towards its upstream) THEN refused", () => {
    expect(demoRefusal({ ...local, httpVersion: "1.0" })).toMatch(/HTTP\/1\.0/);
  });
});

describe("crossSiteRefusal", () => {
  const url = "http://127.0.0.1:3000/demo/clock";
  test("a POST from the app's own page is answered", () => {
    expect(crossSiteRefusal({ method: "POST", origin: "http://127.0.0.1:3000", url })).toBeNull();
    expect(crossSiteRefusal({ method: "POST", origin: "http://localhost:3000", url: "http://localhost:3000/app/plans" })).toBeNull();
  });
  test("a POST with no Origin, another site's, another port's or 'null' is refused", () => {
    for (const origin of [null, undefined, "", "https://evil.example", "http://127.0.0.1:8080", "http://localhost:3000", "null"]) {
      expect(crossSiteRefusal({ method: "POST", origin, url }), String(origin)).toMatch(/another site/);
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) expect(crossSiteRefusal({ method, origin: null, url })).not.toBeNull();
  });
  test("reads need no Origin", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(crossSiteRefusal({ method, origin: null, url })).toBeNull();
  });
});
