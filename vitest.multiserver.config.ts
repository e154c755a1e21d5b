import path from "node:path";
import { defineConfig } from "vitest/config";

// Production app servers on PostgreSQL: several on one database (test/multiserver), and the
// hostile-input suite (test/e2e/hostile.test.ts, which vitest.e2e.config.ts runs on SQLite). Needs
// the app built (node scripts/build-app.js) and TEST_DB=postgresql with TEST_DATABASE_URL; the
// multi-server files are skipped otherwise (the hostile suite would run on SQLite).
export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    environment: "node",
    include: ["test/multiserver/**/*.test.ts", "test/e2e/hostile.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
