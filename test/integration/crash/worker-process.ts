// The app's work in a process of its own, for the crash tests (harness.ts starts it). It talks
// to the Shopify stand-in at KEMBALI_TEST_ADMIN_URL through the app's real GraphQL port, at the
// time KEMBALI_TEST_NOW. KEMBALI_TEST_MODE:
//   job    claim the next job of type KEMBALI_TEST_JOB_TYPE and run it with the app's handler
//          KEMBALI_TEST_HANDLER (a line per step: its cursor). Each test's jobs have a type of
//          their own, so no other test file's job is ever claimed here.
//   redeem redeemReward for KEMBALI_TEST_SHOP / _CUSTOMER / _REWARD / _REQUEST
//   sweep  retryPendingRedemptions, the background tick's recovery of pending redemptions
// Kill points, read only here (the app has no hook for them); each is a SIGKILL of this process:
//   KEMBALI_TEST_CRASH_IN_TX=N         inside the Nth transaction, its work done, before the commit
//   KEMBALI_TEST_CRASH_BEFORE_OP=name  just before a request of that GraphQL operation is sent
//   KEMBALI_TEST_CRASH_AFTER_OP=name   once Shopify's whole answer to it has arrived, before the app reads it
import prisma, { transaction } from "~/db.server";
import { claimJob, runJob, type JobHandler } from "~/domain/jobs";
import { backfillJob } from "~/domain/earning/history";
import { RECS_REBUILD_JOB, recsRebuildJob } from "~/domain/recommendations/rebuild";
import { redeemReward, retryPendingRedemptions } from "~/domain/rewards/redemption";
import { ShopifyAdminError } from "~/shopify/admin/errors";
import { graphqlAdmin, type AdminGraphql } from "~/shopify/admin/graphql.server";
import type { ShopifyAdmin } from "~/shopify/admin/port";

const env = process.env;
const now = new Date(env.KEMBALI_TEST_NOW ?? "");
if (Number.isNaN(now.getTime()) || !env.KEMBALI_TEST_MODE) throw new Error("KEMBALI_TEST_NOW and KEMBALI_TEST_MODE are required");
const clock = () => now;
const die = () => process.kill(process.pid, "SIGKILL");
const print = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);

const graphql: AdminGraphql = async (query, options) => {
  const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  if (operation === env.KEMBALI_TEST_CRASH_BEFORE_OP) die();
  const response = await fetch(env.KEMBALI_TEST_ADMIN_URL ?? "", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": env.KEMBALI_TEST_ADMIN_TOKEN ?? "" },
    body: JSON.stringify({ query, variables: options?.variables }),
  });
  if (operation === env.KEMBALI_TEST_CRASH_AFTER_OP) {
    await response.clone().text();
    die();
  }
  return response;
};
const shopify = graphqlAdmin(graphql, { maxRetries: 0 });
// The stand-in is the test's shop's Shopify only. Other test files share the database: their
// pending redemptions meet a Shopify that never answers, so the sweep leaves them as they were.
// Not a thenable ("then" is absent), so awaiting it gives the proxy itself.
const unreachable = new Proxy({} as ShopifyAdmin, {
  get: (_, name) =>
    name === "then"
      ? undefined
      : async () => {
          throw new ShopifyAdminError("failed", "unreachable", "Not this test's shop", { outcomeUnknown: true });
        },
});
const shopifyFor = async (shop: string) => (shop === env.KEMBALI_TEST_SHOP ? shopify : unreachable);

const appTransaction = transaction(prisma);
let transactions = 0;
const crashInTx = Number(env.KEMBALI_TEST_CRASH_IN_TX ?? "0");
const tx = (<T>(fn: Parameters<typeof appTransaction>[0]) =>
  appTransaction(async (t) => {
    const result = (await fn(t)) as T;
    if (++transactions === crashInTx) die();
    return result;
  })) as typeof appTransaction;

/** Prints the cursor each step starts from, so the test sees where a restarted job resumed. */
function traced(handler: JobHandler): JobHandler {
  return {
    step(deps, job) {
      print({ step: job.cursor });
      return handler.step(deps, job);
    },
  };
}

const deps = { db: prisma, clock, transaction: tx };
switch (env.KEMBALI_TEST_MODE) {
  case "job": {
    const type = env.KEMBALI_TEST_JOB_TYPE ?? "";
    const app: Record<string, JobHandler> = {
      backfill: backfillJob(shopifyFor, tx),
      [RECS_REBUILD_JOB]: recsRebuildJob(tx, { batch: Number(env.KEMBALI_TEST_BATCH ?? "2000"), sleep: async () => {} }),
    };
    const handlers = { [type]: traced(app[env.KEMBALI_TEST_HANDLER ?? ""]) };
    // As the app's background work does on its next ticks: a step that failed on a passing
    // error (SQLite busy with another process's write) is claimed again after its back-off.
    let at = now.getTime();
    const jobDeps = { ...deps, clock: () => new Date(at) };
    for (let round = 0; round < 5; round++) {
      const job = await claimJob(jobDeps, [type]);
      const outcome = job ? await runJob(jobDeps, handlers, job.id) : null;
      print({ claimed: job?.id ?? null, outcome });
      if (!job || outcome !== "failed") break;
      const failed = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
      process.stderr.write(`step failed, retried after its back-off: ${failed.error}\n`);
      at = failed.runAfter.getTime();
    }
    break;
  }
  case "redeem": {
    const view = await redeemReward(
      { ...deps, shopify },
      {
        shopDomain: env.KEMBALI_TEST_SHOP ?? "",
        shopifyCustomerId: env.KEMBALI_TEST_CUSTOMER ?? "",
        rewardId: env.KEMBALI_TEST_REWARD ?? "",
        requestId: env.KEMBALI_TEST_REQUEST ?? "",
      },
    );
    print({ redemption: view });
    break;
  }
  case "sweep":
    print({ retried: await retryPendingRedemptions({ ...deps, shopifyFor }) });
    break;
  default:
    throw new Error(`Unknown KEMBALI_TEST_MODE ${env.KEMBALI_TEST_MODE}`);
}
await prisma.$disconnect();
