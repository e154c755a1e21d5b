// Builds the app for serving (npm run build:app; the demo, npm test and the benchmark call
// buildApp). Always a production build: `remix build` takes the caller's NODE_ENV, and a
// development build run by the production server fails on every React page (jsxDEV).
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";

/** The environment `remix build` runs with: the caller's, with NODE_ENV=production whatever it was. */
export function appBuildEnv(env) {
  return { ...env, NODE_ENV: "production" };
}

export function buildApp({ env = process.env, stdio = "inherit" } = {}) {
  execFileSync("npx", ["remix", "build"], { env: appBuildEnv(env), stdio });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildApp();
