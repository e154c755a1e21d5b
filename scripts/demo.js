// npm run demo: the whole app on this computer, on SQLite, with a seeded demo shop.
// Admin: /app (outside the Shopify admin). Storefront: /demo/store (the real widget, the real
// App Proxy route, traffic signed with the local app secret). This computer only.
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { appBuildEnv } from "./build-app.js";
import { startServer } from "./server.js";

/**
 * What npm run demo runs before serving, each with its environment. The caller's NODE_ENV
 * (development, test, anything) never reaches the app build: it is a production build, as the
 * server that runs it is.
 */
export function demoSteps(callerEnv, args = []) {
  const DATABASE_URL = callerEnv.DEMO_DATABASE_URL || "file:./prisma/demo.db";
  const env = { ...callerEnv, DATABASE_URL, DEMO_MODE: "1", HOST: "127.0.0.1" };
  return [
    { label: "Preparing the database (SQLite)", cmd: process.execPath, args: ["scripts/setup.js"], env },
    { label: "Seeding the demo shop", cmd: "npx", args: ["tsx", "scripts/seed.ts", ...args], env },
    { label: "Building the storefront widget", cmd: process.execPath, args: ["widget/build.js"], env },
    { label: "Building the app", cmd: "npx", args: ["remix", "build"], env: appBuildEnv(env) },
  ];
}

async function main() {
  // Demo mode refuses real credentials; say so before building anything.
  if (process.env.SHOPIFY_API_KEY || process.env.SHOPIFY_API_SECRET) {
    console.error("npm run demo refuses to run with SHOPIFY_API_KEY / SHOPIFY_API_SECRET set: unset them first.");
    process.exit(1);
  }
  const steps = demoSteps(process.env, process.argv.slice(2));
  for (const { label, cmd, args, env } of steps) {
    console.log(`› ${label}`);
    execFileSync(cmd, args, { stdio: "inherit", env });
  }
  const port = Number(process.env.PORT || 3000);
  const server = await startServer({ port, env: { DATABASE_URL: steps[0].env.DATABASE_URL, DEMO_MODE: "1" } });
  console.log(`
Kembali demo is running (Ctrl+C to stop):
  Admin       ${server.url}/app
  Storefront  ${server.url}/demo/store
`);
  const stop = () => server.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.exitCode = await server.exited;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
