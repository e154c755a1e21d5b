// npm run demo: the whole app on this computer, on SQLite, with a seeded demo shop.
// Admin: /app (outside the Shopify admin). Storefront: /demo/store (the real widget, the real
// App Proxy route, traffic signed with the local app secret). Loopback only.
import { execFileSync } from "node:child_process";
import { startServer } from "./server.js";

const DATABASE_URL = process.env.DEMO_DATABASE_URL || "file:./prisma/demo.db";
const port = Number(process.env.PORT || 3000);
const env = { ...process.env, DATABASE_URL, DEMO_MODE: "1", HOST: "127.0.0.1" };
// Demo mode refuses real credentials; say so before building anything.
if (process.env.SHOPIFY_API_KEY || process.env.SHOPIFY_API_SECRET) {
  console.error("npm run demo refuses to run with SHOPIFY_API_KEY / SHOPIFY_API_SECRET set: unset them first.");
  process.exit(1);
}
const step = (label, cmd, args) => {
  console.log(`› ${label}`);
  execFileSync(cmd, args, { stdio: "inherit", env });
};

step("Preparing the database (SQLite)", process.execPath, ["scripts/setup.js"]);
step("Seeding the demo shop", "npx", ["tsx", "scripts/seed.ts", ...process.argv.slice(2)]);
step("Building the storefront widget", process.execPath, ["widget/build.js"]);
step("Building the app", "npx", ["remix", "build"]);

const server = await startServer({ port, env: { DATABASE_URL, DEMO_MODE: "1" } });
console.log(`
Kembali demo is running (Ctrl+C to stop):
  Admin       ${server.url}/app
  Storefront  ${server.url}/demo/store
`);
const stop = () => server.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
process.exitCode = await server.exited;
