// npm test's choice of PostgreSQL database (scripts/test-database.js): the caller's
// TEST_DATABASE_URL, else the local server's own test database, else a skip that says how to
// turn it on; never a SQLite URL run as "PostgreSQL".
import { describe, expect, test } from "vitest";
import { postgresUrlProblem, testDatabaseDecision } from "../../scripts/test-database.js";
import { testDatabaseUrl } from "../setup/global";

const local = { url: "postgresql://postgres@127.0.0.1:5432/kembali_test" };

describe("testDatabaseDecision", () => {
  test("TEST_DATABASE_URL set (CI) is used as given, whatever runs locally", () => {
    const url = "postgresql://postgres@127.0.0.1:5432/kembali_ci";
    expect(testDatabaseDecision({ TEST_DATABASE_URL: url }, null)).toEqual({ use: url, source: "TEST_DATABASE_URL" });
    expect(testDatabaseDecision({ TEST_DATABASE_URL: "postgres://u:p@db.internal/x" }, local)).toMatchObject({
      source: "TEST_DATABASE_URL",
    });
  });

  test("a TEST_DATABASE_URL that is not PostgreSQL fails clearly (it would test SQLite twice), without echoing it", () => {
    for (const url of [
      "file:./.tmp/test.db",
      "mysql://root:hunter2@localhost/db",
      "sqlite://x",
      "not a url",
      "postgresql://127.0.0.1:5432/",
    ]) {
      const decision = testDatabaseDecision({ TEST_DATABASE_URL: url }, local);
      expect(decision, url).toHaveProperty("error");
      expect(JSON.stringify(decision)).not.toContain("hunter2");
    }
    expect(testDatabaseDecision({ TEST_DATABASE_URL: "file:./x.db" }, null)).toEqual({
      error: expect.stringMatching(/PostgreSQL URL.*not file:/),
    });
  });

  test("unset, with PostgreSQL on this computer: its own database there", () => {
    expect(testDatabaseDecision({}, local)).toEqual({ use: local.url, source: "local" });
    expect(testDatabaseDecision({ TEST_DATABASE_URL: "" }, local)).toEqual({ use: local.url, source: "local" });
  });

  test("unset, with no server or no permission: skipped with one line saying how to turn it on", () => {
    for (const found of [null, { problem: "none of postgres may connect (password authentication failed)" }]) {
      const decision = testDatabaseDecision({}, found) as { skip: string };
      expect(decision.skip).toMatch(/TEST_DATABASE_URL=postgresql:\/\/USER@127\.0\.0\.1:5432\/kembali_test npm test/);
      expect(decision.skip).not.toContain("\n");
    }
    expect(testDatabaseDecision({}, { problem: "none of postgres may connect (x)" })).toMatchObject({
      skip: expect.stringMatching(/^PostgreSQL answers on 127\.0\.0\.1:5432 but none of postgres/),
    });
  });
});

test("postgresUrlProblem accepts both PostgreSQL schemes with a database", () => {
  expect(postgresUrlProblem("postgresql://postgres@127.0.0.1:5432/kembali_test")).toBeNull();
  expect(postgresUrlProblem("postgres://u:p@host/db?sslmode=require")).toBeNull();
});

test("the PostgreSQL run refuses a non-PostgreSQL TEST_DATABASE_URL instead of running on SQLite", () => {
  const saved = { db: process.env.TEST_DB, url: process.env.TEST_DATABASE_URL };
  try {
    process.env.TEST_DB = "postgresql";
    process.env.TEST_DATABASE_URL = "file:./.tmp/test.db";
    expect(() => testDatabaseUrl()).toThrow(/PostgreSQL URL/);
    process.env.TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/kembali_x";
    expect(testDatabaseUrl()).toBe("postgresql://postgres@127.0.0.1:5432/kembali_x");
  } finally {
    for (const [key, value] of [
      ["TEST_DB", saved.db],
      ["TEST_DATABASE_URL", saved.url],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});
