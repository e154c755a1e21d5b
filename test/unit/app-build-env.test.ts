// The demo (and every build for serving) is a production build whatever NODE_ENV the caller
// has: a development build run by the production server fails on every React page (jsxDEV).
import { describe, expect, test } from "vitest";
import { appBuildEnv } from "../../scripts/build-app.js";
import { demoSteps } from "../../scripts/demo.js";
import { serverEnv } from "../../scripts/server.js";

const callers = ["development", "test", "production", "staging", undefined];

describe("npm run demo under any NODE_ENV", () => {
  test.each(callers)("NODE_ENV=%s: the app is built and served in production mode", (NODE_ENV) => {
    const caller = { PATH: "/usr/bin", NODE_ENV, DEMO_DATABASE_URL: "file:./.tmp/x.db" };
    const build = demoSteps(caller).find((s) => s.label === "Building the app")!;
    expect(build.args).toEqual(["remix", "build"]);
    expect(build.env).toMatchObject({
      NODE_ENV: "production",
      DEMO_MODE: "1",
      HOST: "127.0.0.1",
      DATABASE_URL: "file:./.tmp/x.db",
      PATH: "/usr/bin",
    });
    expect(serverEnv(caller, 3000, { DEMO_MODE: "1" })).toMatchObject({
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "3000",
      DEMO_MODE: "1",
    });
  });

  test("the other steps keep the caller's environment, and the demo database", () => {
    const steps = demoSteps({ NODE_ENV: "development" }, ["--fresh"]);
    expect(steps.map((s) => s.label)).toEqual([
      "Preparing the database (SQLite)",
      "Seeding the demo shop",
      "Building the storefront widget",
      "Building the app",
    ]);
    expect(steps[1].args).toEqual(["tsx", "scripts/seed.ts", "--fresh"]);
    for (const step of steps.slice(0, 3))
      expect(step.env).toMatchObject({ NODE_ENV: "development", DATABASE_URL: "file:./prisma/demo.db" });
  });
});

test("npm run build:app, npm test's and the benchmark's builds: NODE_ENV=production, the rest as given", () => {
  expect(appBuildEnv({ NODE_ENV: "development", DATABASE_URL: "file:x" })).toEqual({ NODE_ENV: "production", DATABASE_URL: "file:x" });
  expect(appBuildEnv({})).toEqual({ NODE_ENV: "production" });
});
