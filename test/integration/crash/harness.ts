// Shared by the crash tests: a real child process (`node --import tsx worker-process.ts`) that
// the test or the child itself kills with SIGKILL, and a Shopify Admin GraphQL stand-in on a
// real local HTTP port (the stateful fake of test/mocks/admin-graphql.ts behind node:http), so
// the child talks to "Shopify" over a socket the parent can watch and cut.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fakeShopifyAdmin } from "../../mocks/admin-graphql";

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts worker-process.ts with `env`; `done` settles when it exits (killed or not). */
export function startChild(env: Record<string, string>): { child: ChildProcess; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/integration/crash/worker-process.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runChild(env: Record<string, string>): Promise<ChildResult> {
  return startChild(env).done;
}

/** The JSON lines a child printed (each step it ran, then its result). */
export function linesOf(result: ChildResult): Array<Record<string, unknown>> {
  return result.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export interface StandInRequest {
  operationName: string;
  variables: Record<string, unknown>;
  body: unknown;
}

/**
 * What to do with one request before the fake answers it: "answer" (the default), or "hang" (the
 * stand-in never answers; the test kills the child meanwhile).
 */
export type Intercept = (request: StandInRequest) => Promise<"answer" | "hang"> | "answer" | "hang";

export async function startStandIn() {
  const fake = fakeShopifyAdmin();
  const seen: StandInRequest[] = [];
  let intercept: Intercept = () => "answer";
  const held = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      void (async () => {
        const body = JSON.parse(raw) as { query: string; variables?: Record<string, unknown> };
        const operationName = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
        const request = { operationName, variables: body.variables ?? {}, body };
        seen.push(request);
        if ((await intercept(request)) === "hang") {
          held.add(res);
          return;
        }
        const answer = await fake.respond(body, (req.headers["x-shopify-access-token"] as string | undefined) ?? null);
        res.writeHead(answer.status, { "Content-Type": "application/json" });
        res.end(await answer.text());
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/api/graphql.json`;
  return {
    fake,
    url,
    /** Env for the child: where "Shopify" is and the token it accepts. */
    env: { KEMBALI_TEST_ADMIN_URL: url, KEMBALI_TEST_ADMIN_TOKEN: fake.accessToken },
    seen,
    setIntercept(fn: Intercept) {
      intercept = fn;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type StandIn = Awaited<ReturnType<typeof startStandIn>>;
