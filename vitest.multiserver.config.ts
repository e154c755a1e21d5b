import path from "node:path";
import { defineConfig } from "vitest/config";

// Several production app servers on one PostgreSQL database (test/multiserver): needs the app
// built (node scripts/build-app.js) and TEST_DB=postgresql with TEST_DATABASE_URL; skipped otherwise.
export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    environment: "node",
    include: ["test/multiserver/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
