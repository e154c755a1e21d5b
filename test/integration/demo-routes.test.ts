// Demo-only routes never answer outside demo mode (tests run in test mode, like production
// in this respect: no DEMO_MODE).
import { describe, expect, test } from "vitest";
import { action as clock } from "~/routes/demo.clock";
import { action as order } from "~/routes/demo.order";
import { loader as store } from "~/routes/demo.store";
import { loader as thankYou } from "~/routes/demo.thank-you";
import { action as accountRedeem, loader as account } from "~/routes/demo.account";
import { loader as proxyForward } from "~/routes/apps.kembali.$";
import { loader as discount } from "~/routes/discount.$code";
import { clock as systemClock } from "~/deps.server";
import { movableClock } from "~/clock.server";
import { routeArgs } from "../helpers";

const post = (path: string) => new Request(`http://127.0.0.1:3000${path}`, { method: "POST", body: new FormData() });

describe("demo routes outside demo mode", () => {
  test("answer 404 and do nothing", async () => {
    const before = systemClock().getTime();
    for (const call of [
      () => clock(routeArgs(post("/demo/clock"))),
      () => order(routeArgs(post("/demo/order"))),
      () => store(routeArgs(new Request("http://127.0.0.1:3000/demo/store"))),
      () => thankYou(routeArgs(new Request("http://127.0.0.1:3000/demo/thank-you"))),
      () => account(routeArgs(new Request("http://127.0.0.1:3000/demo/account"))),
      () => accountRedeem(routeArgs(post("/demo/account"))),
      () => proxyForward({ ...routeArgs(new Request("http://127.0.0.1:3000/apps/kembali/state")), params: { "*": "state" } }),
      () => discount({ ...routeArgs(new Request("http://127.0.0.1:3000/discount/KMB-X?redirect=/cart")), params: { code: "KMB-X" } }),
    ]) {
      const res = await call().catch((r: Response) => r);
      expect(res.status).toBe(404);
    }
    expect(Math.abs(systemClock().getTime() - before)).toBeLessThan(5_000);
  });

  test("the demo clock only moves forward", () => {
    const demo = movableClock(() => new Date(0));
    expect(() => demo.advance(-1)).toThrow(RangeError);
    expect(() => demo.advance(0.5)).toThrow(RangeError);
    expect(demo.advance(1000).getTime()).toBe(1000);
    expect(demo.now().getTime()).toBe(1000);
  });
});
