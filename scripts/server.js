// Starts the built app (remix-serve) as a child process and waits until it answers.
// Used by the demo, the browser tests and the benchmark.
import { spawn } from "node:child_process";
import path from "node:path";

export async function startServer({ port, env = {}, quiet = false }) {
  const child = spawn(
    process.execPath,
    [path.resolve("node_modules/@remix-run/serve/dist/cli.js"), "./build/index.js"],
    {
      env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), ...env },
      stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
    },
  );
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("waiting"), 200))]);
    if (code !== "waiting") throw new Error(`The app server exited with code ${code} before answering`);
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error("The app server did not answer within 30 s");
      }
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
    exited,
  };
}
