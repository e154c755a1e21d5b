// The real server (server.js) in demo mode, over real sockets: anything a reverse proxy on this
// computer would add is refused before any route runs; a POST from another site answers 403
// and writes nothing; the demo storefront's own App Proxy forwarding (in process, with
// X-Forwarded-For on purpose) keeps working. Outside demo mode the same headers are normal.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer } from "../../scripts/server.js";
import { DESKTOP_CHROME_UA, startDemoApp } from "./support";

const PORT = 3581;
let app: { url: string; stop: () => Promise<void> };

beforeAll(async () => {
  app = await startDemoApp("e2e-demo-guard", PORT, { seed: true });
});
afterAll(async () => {
  await app?.stop();
});

/** A request with exactly these headers (fetch would not send a Host of our choosing). */
function raw(
  path: string,
  { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: PORT, path, method, headers: { "User-Agent": DESKTOP_CHROME_UA, ...headers } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The demo shop's plan as the server's database holds it. */
async function plan(): Promise<string> {
  process.env.DATABASE_URL = "file:./.tmp/e2e-demo-guard.db";
  const { default: prisma } = await import("~/db.server");
  return (await prisma.shop.findUniqueOrThrow({ where: { domain: "kembali-demo.myshopify.com" } })).plan;
}

describe("demo mode behind a reverse proxy", () => {
  test("GIVEN a proxy's forwarding headers on a loopback socket THEN 403 before any route; without them 200", async () => {
    expect((await raw("/app")).status).toBe(200);
    for (const [name, value] of [
      ["X-Forwarded-For", "203.0.113.9"],
      ["X-Forwarded-Host", "shop.example"],
      ["X-Forwarded-Proto", "https"],
      ["Forwarded", "for=203.0.113.9;proto=https"],
      ["X-Real-IP", "203.0.113.9"],
      ["Via", "1.1 nginx"],
    ]) {
      const res = await raw("/app", { headers: { [name]: value } });
      expect([name, res.status]).toEqual([name, 403]);
      expect(res.body).toMatch(/proxied/);
      // Static files and health checks too: nothing is answered through a proxy.
      expect((await raw("/healthz", { headers: { [name]: value } })).status).toBe(403);
    }
  });

  test("GIVEN another site's host name (DNS rebinding) or HTTP/1.0 (nginx's default upstream) THEN 403", async () => {
    expect((await raw("/app", { headers: { Host: "evil.example" } })).status).toBe(403);
    expect((await raw("/app", { headers: { Host: `localhost:${PORT}` } })).status).toBe(200);
    const statusLine = await new Promise<string>((resolve) => {
      const socket = net.connect(PORT, "127.0.0.1", () => socket.write(`GET /app HTTP/1.0\r\nHost: 127.0.0.1:${PORT}\r\n\r\n`));
      let text = "";
      socket.on("data", (d) => (text += d));
      socket.on("end", () => resolve(text.split("\r\n")[0]));
    });
    expect(statusLine).toMatch(/ 403 /);
  });

  test("GIVEN a cross-site POST to an admin action THEN 403 and nothing changes; from the app's own origin it changes", async () => {
    expect(await plan()).toBe("free");
    const form = "plan=growth";
    const type = { "Content-Type": "application/x-www-form-urlencoded" };
    for (const headers of [{ ...type }, { ...type, Origin: "https://evil.example" }, { ...type, Origin: "null" }]) {
      expect((await raw("/app/plans", { method: "POST", headers, body: form })).status).toBe(403);
    }
    expect(await plan()).toBe("free");
    expect((await raw("/app/plans", { method: "POST", headers: { ...type, Origin: app.url }, body: form })).status).toBe(200);
    expect(await plan()).toBe("growth");
  });

  test("GIVEN a cross-site POST to a demo route THEN 403 and the demo clock has not moved", async () => {
    const type = { "Content-Type": "application/x-www-form-urlencoded" };
    expect(
      (await raw("/demo/clock", { method: "POST", headers: { ...type, Origin: "https://evil.example" }, body: "days=400" })).status,
    ).toBe(403);
    expect((await raw("/demo/clock", { method: "POST", headers: type, body: "days=400" })).status).toBe(403);
    const own = await raw("/demo/clock", { method: "POST", headers: { ...type, Origin: app.url }, body: "days=0" });
    expect(own.status).toBe(200);
    expect(Math.abs(Date.parse(JSON.parse(own.body).now) - Date.now())).toBeLessThan(60_000);
  });

  test("the demo storefront's App Proxy forwarding (in process, X-Forwarded-For on purpose) still answers", async () => {
    const res = await raw("/apps/kembali/state", { headers: { Accept: "application/json", Cookie: "kembali_demo_customer=7001" } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ customer: { balance: expect.any(Number), referral: { code: expect.any(String) } } });
  });
});

test("outside demo mode the server answers forwarded requests (the App Proxy's normal path)", async () => {
  const port = 3582;
  const prod = await startServer({
    port,
    quiet: true,
    env: {
      DATABASE_URL: "file:./.tmp/e2e-demo-guard.db",
      DEMO_MODE: "",
      SHOPIFY_API_KEY: "guard-test-key",
      SHOPIFY_API_SECRET: "guard-test-secret",
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      TRUSTED_PROXY_HOPS: "1",
    },
  });
  try {
    const res = await fetch(`${prod.url}/healthz`, { headers: { "X-Forwarded-For": "203.0.113.9, 10.0.0.1", Forwarded: "for=10.0.0.1" } });
    expect(res.status).toBe(200);
  } finally {
    await prod.stop();
  }
});
