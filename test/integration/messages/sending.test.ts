import { afterAll, beforeAll, describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { TEST_API_SECRET } from "~/config.server";
import { dispatchMessages, resendMessage, type SendingDeps } from "~/domain/messages/dispatch";
import { RETRY_DELAYS_MS, RetryLater, type ChannelDelivery, type ChannelSender } from "~/domain/messages/channels";
import { redactCustomer, redactShop } from "~/domain/members/compliance";
import { unsubscribeToken } from "~/domain/messages/tokens";
import { loader as unsubscribePage, action as unsubscribePost } from "~/routes/messages.unsubscribe";
import { loader as openPixel } from "~/routes/messages.open";
import { customerOf, eventOf, messagesShop, testClock, txDepsAt } from "./fixture";
import { parseMail, startCatcher } from "./catcher";

let catcher: Awaited<ReturnType<typeof startCatcher>>;
let mail: typeof import("~/mail.server");

beforeAll(async () => {
  catcher = await startCatcher();
  process.env.SMTP_URL = catcher.url;
  process.env.SMTP_FROM = "rewards@kembali.test";
  mail = await import("~/mail.server");
});
afterAll(async () => {
  await catcher.close();
});

const APP = "http://127.0.0.1:3000";
function depsAt(clock: () => Date, sendMail?: SendingDeps["sendMail"]): SendingDeps {
  return { ...txDepsAt(clock), sendMail: sendMail ?? mail.sendMail, mailFrom: mail.mailFrom, appUrl: APP, secret: TEST_API_SECRET };
}
const row = (shopId: string, key: string) => prisma.messageSend.findFirstOrThrow({ where: { shopId, key } });
const args = (request: Request) => ({ request, params: {}, context: {} });

describe("sending email", () => {
  test("a message goes once, with its Message-ID and, when marketing, the one-click unsubscribe headers", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "member_joined", "joined:a");
    await eventOf(shopId, c.id, "reward_issued", "reward:a");
    const first = await dispatchMessages(depsAt(clock), { shopId });
    expect(first).toMatchObject({ routed: 2, sends: 2, sent: 2 });
    clock.advance(3_600_000);
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ routed: 0, sent: 0 });

    const caught = catcher.to(c.email!);
    expect(caught).toHaveLength(2);
    const welcome = await row(shopId, "email:joined:a");
    expect(welcome).toMatchObject({ status: "sent", attempts: 1, recipient: c.email, locale: "en" });
    expect(welcome.sentAt?.toISOString()).toBe("2026-12-07T05:00:00.000Z");
    const marketing = caught.map((m) => parseMail(m.raw)).find((m) => m.headers["message-id"] === welcome.messageId)!;
    expect(marketing).toBeDefined();
    const token = unsubscribeToken(TEST_API_SECRET, shopId, c.id);
    expect(marketing.headers["list-unsubscribe"]).toBe(`<${APP}/messages/unsubscribe?t=${encodeURIComponent(token)}>`);
    expect(marketing.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(marketing.headers["subject"]).toBeTruthy();
    const reward = await row(shopId, "email:reward:a");
    const transactional = caught.map((m) => parseMail(m.raw)).find((m) => m.headers["message-id"] === reward.messageId)!;
    expect(transactional.headers["list-unsubscribe"]).toBeUndefined();
  });

  test("451 then 250: delivered once, on the second attempt, with the same Message-ID both times", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "points_earned", "earned:451");
    catcher.answer(451);
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ retried: 1, sent: 0 });
    const waiting = await row(shopId, "email:earned:451");
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting.runAfter.getTime()).toBe(clock().getTime() + RETRY_DELAYS_MS[0]);
    expect(waiting.error).toMatch(/451|later/i);
    // Not due yet.
    clock.advance(RETRY_DELAYS_MS[0] - 1000);
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ sent: 0, retried: 0 });
    clock.advance(1000);
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ sent: 1 });
    expect(await row(shopId, "email:earned:451")).toMatchObject({ status: "sent", attempts: 2, error: null });
    const tries = catcher.to(c.email!);
    expect(tries.map((m) => m.code)).toEqual([451, 250]);
    expect(tries.filter((m) => m.accepted)).toHaveLength(1);
    const ids = tries.map((m) => parseMail(m.raw).headers["message-id"]);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toBe(waiting.messageId);
  });

  test("a permanent refusal (550) fails at once; it is not tried again", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "reward_issued", "reward:550");
    catcher.answer(550);
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ failed: 1 });
    clock.advance(86_400_000);
    await dispatchMessages(depsAt(clock), { shopId });
    expect(await row(shopId, "email:reward:550")).toMatchObject({ status: "failed", attempts: 1 });
    expect(catcher.to(c.email!)).toHaveLength(1);
  });

  test("temporary failures and lost connections are retried with backoff, then the row fails", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "reward_issued", "reward:down");
    let calls = 0;
    const down: SendingDeps["sendMail"] = async () => {
      calls++;
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    };
    for (let i = 0; i <= RETRY_DELAYS_MS.length; i++) {
      await dispatchMessages(depsAt(clock, down), { shopId });
      const r = await row(shopId, "email:reward:down");
      expect(r.attempts).toBe(i + 1);
      if (i < RETRY_DELAYS_MS.length) {
        expect(r.status).toBe("queued");
        expect(r.runAfter.getTime() - clock().getTime()).toBe(RETRY_DELAYS_MS[i]);
        clock.advance(RETRY_DELAYS_MS[i]);
      } else {
        expect(r.status).toBe("failed");
      }
    }
    expect(calls).toBe(RETRY_DELAYS_MS.length + 1);
  });

  test("the frequency cap counts marketing messages only; over it, skipped with cap", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop({ settings: { frequencyCap: { count: 2, days: 7 } } });
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "points_earned", "cap:1");
    await dispatchMessages(depsAt(clock), { shopId });
    clock.advance(3_600_000);
    await eventOf(shopId, c.id, "points_earned", "cap:2");
    await eventOf(shopId, c.id, "reward_issued", "cap:reward");
    await dispatchMessages(depsAt(clock), { shopId });
    clock.advance(3_600_000);
    await eventOf(shopId, c.id, "points_earned", "cap:3");
    await dispatchMessages(depsAt(clock), { shopId });
    expect((await row(shopId, "email:cap:3")).status).toBe("skipped");
    expect((await row(shopId, "email:cap:3")).reason).toBe("cap");
    expect((await row(shopId, "email:cap:reward")).status).toBe("sent");
    // A week after the first, there is room again.
    clock.advance(7 * 86_400_000 - 2 * 3_600_000);
    await eventOf(shopId, c.id, "points_earned", "cap:4");
    await dispatchMessages(depsAt(clock), { shopId });
    expect((await row(shopId, "email:cap:4")).status).toBe("sent");
    expect(catcher.to(c.email!)).toHaveLength(4);
  });

  test("quiet hours in the shop's zone: a marketing message waits until they end, a transactional one goes", async () => {
    // 22:00 in Jakarta (UTC+7); quiet from 21:00 to 08:00.
    const clock = testClock("2026-12-07T15:00:00Z");
    const { shopId } = await messagesShop({ timezone: "Asia/Jakarta", settings: { quietHours: { enabled: true, start: 21, end: 8 } } });
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "win_back", "quiet:marketing");
    await eventOf(shopId, c.id, "reward_issued", "quiet:transactional");
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ sent: 1, deferred: 1 });
    const waiting = await row(shopId, "email:quiet:marketing");
    expect(waiting).toMatchObject({ status: "queued", attempts: 0 });
    expect(waiting.runAfter.toISOString()).toBe("2026-12-08T01:00:00.000Z");
    clock.set("2026-12-08T00:59:00Z");
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ sent: 0 });
    clock.set("2026-12-08T01:00:00Z");
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ sent: 1 });
    expect(catcher.to(c.email!)).toHaveLength(2);
  });

  test("quiet hours across the night New York's clocks go forward end at 08:00 EDT", async () => {
    const clock = testClock("2026-03-08T04:00:00Z"); // 23:00 EST, 7 March
    const { shopId } = await messagesShop({ timezone: "America/New_York", settings: { quietHours: { enabled: true, start: 21, end: 8 } } });
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "points_earned", "dst:1");
    expect(await dispatchMessages(depsAt(clock), { shopId })).toMatchObject({ deferred: 1 });
    expect((await row(shopId, "email:dst:1")).runAfter.toISOString()).toBe("2026-03-08T12:00:00.000Z");
  });

  test("a name with HTML arrives escaped in the html the mail server got", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId, { firstName: "<script>alert(1)</script>" });
    await eventOf(shopId, c.id, "member_joined", "escape:1");
    await dispatchMessages(depsAt(clock), { shopId });
    const [caught] = catcher.to(c.email!);
    const { html, text } = parseMail(caught.raw);
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(text.length).toBeGreaterThan(0);
  });
});

describe("unsubscribe and opens", () => {
  test("RFC 8058 one-click: the POST to the header's URL unsubscribes; later marketing is skipped, transactional still goes", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "member_joined", "one-click:1");
    await dispatchMessages(depsAt(clock), { shopId });
    const { headers } = parseMail(catcher.to(c.email!)[0].raw);
    const url = /^<(.+)>$/.exec(headers["list-unsubscribe"])![1];
    const response = await unsubscribePost(
      args(
        new Request(url, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        }),
      ),
    );
    expect(response.status).toBe(200);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).unsubscribedAt).not.toBeNull();
    // A body past the limit is answered (413), not dropped with the connection.
    const huge = await unsubscribePost(args(new Request(url, { method: "POST", body: "x".repeat(20_000) })));
    expect(huge.status).toBe(413);
    // Queued before the unsubscribe, sent after it: checked again at sending time.
    await eventOf(shopId, c.id, "points_earned", "one-click:2");
    await eventOf(shopId, c.id, "reward_issued", "one-click:3");
    await dispatchMessages(depsAt(clock), { shopId });
    expect(await row(shopId, "email:one-click:2")).toMatchObject({ status: "skipped", reason: "unsubscribed" });
    expect(await row(shopId, "email:one-click:3")).toMatchObject({ status: "sent" });
  });

  test("the link in the body: GET shows a button and changes nothing; its POST unsubscribes", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId, { locale: "id" });
    await eventOf(shopId, c.id, "member_joined", "link:1");
    await dispatchMessages(depsAt(clock), { shopId });
    const { text, html } = parseMail(catcher.to(c.email!)[0].raw);
    const link = new RegExp(`${APP}/messages/unsubscribe\\?t=[^\\s"<>)\\]]+`).exec(text)?.[0];
    expect(link).toBeTruthy();
    expect(html).toContain("/messages/unsubscribe?t=");
    const page = await unsubscribePage(args(new Request(link!)));
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('method="post"');
    expect(body).toContain("Berhenti berlangganan");
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).unsubscribedAt).toBeNull();
    const done = await unsubscribePost(
      args(
        new Request(link!, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        }),
      ),
    );
    expect(done.status).toBe(200);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).unsubscribedAt).not.toBeNull();
    expect(await (await unsubscribePage(args(new Request(link!)))).text()).not.toContain('method="post"');
  });

  test("a forged token is a 400 and writes nothing", async () => {
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    const real = unsubscribeToken(TEST_API_SECRET, shopId, c.id);
    const forged = [
      unsubscribeToken("another-secret", shopId, c.id),
      real.replace(/.$/, (ch) => (ch === "A" ? "B" : "A")),
      `${c.id}.${shopId}`,
      "",
      "x".repeat(300),
    ];
    for (const t of forged) {
      const url = `${APP}/messages/unsubscribe?t=${encodeURIComponent(t)}`;
      expect((await unsubscribePage(args(new Request(url)))).status).toBe(400);
      expect((await unsubscribePost(args(new Request(url, { method: "POST", body: "List-Unsubscribe=One-Click" })))).status).toBe(400);
    }
    expect((await unsubscribePost(args(new Request(`${APP}/messages/unsubscribe`, { method: "POST" })))).status).toBe(400);
    const other = await unsubscribePost(args(new Request(`${APP}/messages/unsubscribe?t=${encodeURIComponent(real)}`, { method: "PUT" })));
    expect(other.status).toBe(405);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).unsubscribedAt).toBeNull();
  });

  test("the open pixel records the first open once and always answers a GIF", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "reward_issued", "open:1");
    await dispatchMessages(depsAt(clock), { shopId });
    const { html } = parseMail(catcher.to(c.email!)[0].raw);
    const src = new RegExp(`${APP}/messages/open\\?t=[^"'\\s>]+`).exec(html)?.[0].replace(/&amp;/g, "&");
    expect(src).toBeTruthy();
    const first = await openPixel(args(new Request(src!)));
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("image/gif");
    const opened = (await row(shopId, "email:open:1")).openedAt;
    expect(opened).not.toBeNull();
    await openPixel(args(new Request(src!)));
    expect((await row(shopId, "email:open:1")).openedAt).toEqual(opened);
    for (const t of ["forged", "", `${(await row(shopId, "email:open:1")).id}.AAAA`]) {
      const r = await openPixel(args(new Request(`${APP}/messages/open?t=${t}`)));
      expect(r.status).toBe(200);
      expect(r.headers.get("Content-Type")).toBe("image/gif");
    }
  });
});

describe("abandoned sends, resends and privacy", () => {
  test("a row left sending past its lease becomes unconfirmed, is not sent again by itself, and the merchant may resend it", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "reward_issued", "stalled:1");
    const deps = depsAt(clock);
    await dispatchMessages({ ...deps, sendMail: async () => void 0 }, { shopId }); // routes and "sends" nowhere
    await prisma.messageSend.updateMany({ where: { shopId }, data: { status: "sending", lockedUntil: new Date("2026-12-07T05:10:00Z") } });
    clock.set("2026-12-07T05:09:00Z");
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ unconfirmed: 0, sent: 0 });
    clock.set("2026-12-07T05:11:00Z");
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ unconfirmed: 1, sent: 0 });
    const r = await row(shopId, "email:stalled:1");
    expect(r.status).toBe("unconfirmed");
    clock.advance(86_400_000);
    await dispatchMessages(deps, { shopId });
    expect(catcher.to(c.email!)).toHaveLength(0);
    // Another shop cannot resend it.
    const other = await messagesShop();
    await expect(resendMessage(deps, other.shopId, r.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await resendMessage(deps, shopId, r.id);
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ sent: 1 });
    const [caught] = catcher.to(c.email!);
    expect(parseMail(caught.raw).headers["message-id"]).toBe(r.messageId);
  });

  test("customers/redact erases where their messages went; shop/redact deletes the rows", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { domain, shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "reward_issued", "privacy:1");
    await dispatchMessages(depsAt(clock), { shopId });
    expect((await row(shopId, "email:privacy:1")).recipient).toBe(c.email);
    await redactCustomer(txDepsAt(clock), domain, c.shopifyCustomerId);
    expect(await row(shopId, "email:privacy:1")).toMatchObject({ recipient: null, subject: null, status: "sent" });
    await redactShop({ db: prisma }, domain);
    expect(await prisma.messageSend.count({ where: { shopId } })).toBe(0);
  });
});

describe("other channels", () => {
  test("a channel row goes to its sender with the event; RetryLater backs off, another error fails, a crash retries", async () => {
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    const event = await eventOf(shopId, c.id, "points_earned", "chan:1");
    const make = (channel: string) =>
      prisma.messageSend.create({
        data: {
          shopId,
          customerId: c.id,
          eventId: event.id,
          channel,
          message: "points_earned",
          key: `${channel}:chan:1`,
          runAfter: clock(),
        },
      });
    await prisma.customerEvent.update({ where: { id: event.id }, data: { routedAt: clock() } });
    const ok = await make("klaviyo");
    const busy = await make("webhook:busy");
    const bad = await make("webhook:bad");
    const seen: ChannelDelivery[] = [];
    const senders = (channel: string): ChannelSender | null =>
      channel === "klaviyo"
        ? async (d) => void seen.push(d)
        : channel === "webhook:busy"
          ? async () => {
              throw new RetryLater("429", 10 * 60_000);
            }
          : channel === "webhook:bad"
            ? async () => {
                throw new Error("410 Gone");
              }
            : null;
    const deps = { ...depsAt(clock), senders };
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ sent: 1, retried: 1, failed: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      shop: { id: shopId, timezone: "UTC" },
      send: { id: ok.id, key: "klaviyo:chan:1", channel: "klaviyo", attempts: 1 },
      event: {
        id: event.id,
        type: "points_earned",
        key: "chan:1",
        customer: { id: c.id, email: c.email, shopifyCustomerId: c.shopifyCustomerId },
      },
    });
    expect(await prisma.messageSend.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ status: "sent" });
    const waiting = await prisma.messageSend.findUniqueOrThrow({ where: { id: busy.id } });
    // Retry-After (10 min) is longer than the first backoff step (1 min).
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting.runAfter.getTime() - clock().getTime()).toBe(10 * 60_000);
    expect(await prisma.messageSend.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: "failed", error: "410 Gone" });

    // Left "sending" by a stopped process: delivered again (the receiver dedupes on the key).
    await prisma.messageSend.update({ where: { id: ok.id }, data: { status: "sending", lockedUntil: new Date(clock().getTime() - 1) } });
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ sent: 1, unconfirmed: 0 });
    expect(seen).toHaveLength(2);
    expect(await prisma.messageSend.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("the app's wiring", () => {
  test("messageDeps (the tick's) sends through SMTP_URL with the mailer's Message-ID and the app's links", async () => {
    const { messageDeps } = await import("~/jobs.server");
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    await eventOf(shopId, c.id, "member_joined", "wired:1");
    expect(await dispatchMessages(messageDeps(clock), { shopId })).toMatchObject({ routed: 1, sent: 1 });
    const sent = await row(shopId, "email:wired:1");
    expect(sent.messageId).toBe(mail.messageIdFor(sent.id));
    const { headers } = parseMail(catcher.to(c.email!)[0].raw);
    expect(headers["message-id"]).toBe(sent.messageId);
    expect(headers["list-unsubscribe"]).toMatch(/^<http:\/\/127\.0\.0\.1:3000\/messages\/unsubscribe\?t=/);
    expect(headers["from"]).toContain("rewards@kembali.test");
  });
});

describe("routed to a webhook, end to end", () => {
  test("the event reaches the merchant's webhook once, signed, through the real sender; a 503 is retried", async () => {
    const { channelSenders } = await import("~/domain/messages/channels-for");
    const { signWebhookBody } = await import("~/domain/messages/webhooks");
    const { localShopify } = await import("~/shopify/shopify-for.server");
    const clock = testClock("2026-12-07T05:00:00Z");
    const { shopId } = await messagesShop({ off: ["points_earned"] });
    const hook = await prisma.outgoingWebhook.create({
      data: { shopId, url: "https://hooks.example.com/kembali", secret: "hook-secret", events: ["points_earned"] },
    });
    const c = await customerOf(shopId);
    const event = await eventOf(shopId, c.id, "points_earned", "hooked:1");
    const calls: { url: string; headers: Headers; body: string }[] = [];
    const answers = [503, 200];
    const fetchImpl = async (url: string, init: RequestInit) => {
      calls.push({ url, headers: new Headers(init.headers), body: String(init.body) });
      return new Response("", { status: answers.shift() ?? 200 });
    };
    const base = txDepsAt(clock);
    const deps = { ...depsAt(clock), senders: channelSenders({ ...base, shopifyFor: async (s: string) => localShopify(s), fetchImpl }) };
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ routed: 1, retried: 1 });
    clock.advance(RETRY_DELAYS_MS[0]);
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ sent: 1 });
    clock.advance(86_400_000);
    expect(await dispatchMessages(deps, { shopId })).toMatchObject({ sent: 0 });
    expect(calls).toHaveLength(2);
    const last = calls[1];
    expect(last.url).toBe("https://hooks.example.com/kembali");
    expect(last.headers.get("X-Kembali-Event-Id")).toBe(event.id);
    expect(last.headers.get("X-Kembali-Hmac-Sha256")).toBe(signWebhookBody("hook-secret", last.body));
    expect(JSON.parse(last.body)).toMatchObject({ type: "points_earned", customer: { id: c.shopifyCustomerId } });
    expect(await row(shopId, `webhook:${hook.id}:hooked:1`)).toMatchObject({ status: "sent", attempts: 2 });
  });
});
