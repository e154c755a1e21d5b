// Exactly once across a crash: a real sender process is killed (SIGKILL) between the mail
// server's 250 and the record of it. Restarted, the sender does not send it again: the row is
// "unconfirmed" and the mail server holds exactly one copy.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import prisma from "~/db.server";
import { routeEvents } from "~/domain/messages/routing";
import { SEND_LEASE_MS } from "~/domain/messages/sending";
import { customerOf, eventOf, messagesShop, txDepsAt } from "./fixture";
import { parseMail, startCatcher } from "./catcher";

let catcher: Awaited<ReturnType<typeof startCatcher>>;
beforeAll(async () => {
  catcher = await startCatcher();
});
afterAll(async () => {
  await catcher.close();
});

function runSender(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/integration/messages/sender-process.ts"], {
      env: { ...process.env, SMTP_URL: catcher.url, SMTP_FROM: "rewards@kembali.test", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test("killed between the 250 and the record: one message on the server, the row unconfirmed, never sent again", async () => {
  const at = new Date("2026-12-07T05:00:00Z");
  const { shopId } = await messagesShop();
  const c = await customerOf(shopId);
  await eventOf(shopId, c.id, "reward_issued", "crash:1");
  await routeEvents(
    txDepsAt(() => at),
    { shopId },
  );

  const crashed = await runSender({ KEMBALI_TEST_NOW: at.toISOString(), KEMBALI_TEST_SHOP: shopId, KEMBALI_TEST_CRASH_AFTER_SEND: "1" });
  expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
  expect(catcher.to(c.email!).filter((m) => m.accepted)).toHaveLength(1);
  const left = await prisma.messageSend.findFirstOrThrow({ where: { shopId, key: "email:crash:1" } });
  expect(left).toMatchObject({ status: "sending", attempts: 1 });

  // Restarted while the lease still runs: the row is left alone.
  const early = await runSender({ KEMBALI_TEST_NOW: new Date(at.getTime() + 60_000).toISOString(), KEMBALI_TEST_SHOP: shopId });
  expect(early.code, early.stderr).toBe(0);
  expect((await prisma.messageSend.findFirstOrThrow({ where: { id: left.id } })).status).toBe("sending");

  // Restarted after the lease: unconfirmed, not sent again.
  const later = await runSender({
    KEMBALI_TEST_NOW: new Date(at.getTime() + SEND_LEASE_MS + 60_000).toISOString(),
    KEMBALI_TEST_SHOP: shopId,
  });
  expect(later.code, later.stderr).toBe(0);
  expect(JSON.parse(later.stdout)).toMatchObject({ unconfirmed: 1, sent: 0 });
  const after = await prisma.messageSend.findFirstOrThrow({ where: { id: left.id } });
  expect(after).toMatchObject({ status: "unconfirmed", attempts: 1 });
  const caught = catcher.to(c.email!);
  expect(caught).toHaveLength(1);
  expect(parseMail(caught[0].raw).headers["message-id"]).toBe(after.messageId);
}, 90_000);
