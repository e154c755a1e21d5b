// Starts the built app (server.js at the repository's root) as a child process and waits until
// it answers. Used by the demo, the browser tests and the benchmark.
import { spawn } from "node:child_process";
import path from "node:path";

/** The server's environment: the caller's, on loopback, always in production mode (it runs a production build). */
export function serverEnv(callerEnv, port, env = {}) {
  return { ...callerEnv, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), ...env };
}

export async function startServer({ port, env = {}, quiet = false, startTimeoutMs = 30_000 }) {
  const child = spawn(process.execPath, [path.resolve("server.js")], {
    env: serverEnv(process.env, port, env),
    stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("waiting"), 200))]);
    if (code !== "waiting") throw new Error(`The app server exited with code ${code} before answering`);
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`The app server did not answer within ${startTimeoutMs / 1000} s`);
      }
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    /** Ends the process at once (SIGKILL): a server that dies mid-work. */
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
    exited,
  };
}
