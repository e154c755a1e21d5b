// Which PostgreSQL database npm test runs the suite on a second time. TEST_DATABASE_URL when
// set (CI sets it); else a PostgreSQL server answering on this computer's default port, in a
// database of the tests' own; else none, with one line saying how to turn it on.
import net from "node:net";
import os from "node:os";

export const LOCAL_HOST = "127.0.0.1";
export const LOCAL_PORT = 5432;
export const LOCAL_DATABASE = "kembali_test";
const HOW = `To run them: TEST_DATABASE_URL=postgresql://USER@${LOCAL_HOST}:${LOCAL_PORT}/${LOCAL_DATABASE} npm test (that database is reset on every run).`;

/** Why a URL cannot be the tests' PostgreSQL database, or null when it can. */
export function postgresUrlProblem(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return "TEST_DATABASE_URL is not a URL; it must be postgresql://user@host:5432/database";
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    // The scheme only: the rest may hold a password.
    return `TEST_DATABASE_URL must be a PostgreSQL URL (postgresql://user@host:5432/database), not ${parsed.protocol}… (the PostgreSQL run would test SQLite again)`;
  }
  if (parsed.pathname.length <= 1) return "TEST_DATABASE_URL names no database (postgresql://user@host:5432/database)";
  return null;
}

/**
 * The decision, from the environment and what was found on this computer (pure, for tests).
 * @param {{ TEST_DATABASE_URL?: string }} env
 * @param {null | { url: string } | { problem: string }} local what probeLocalPostgres found; null: nothing answers
 * @returns {{ use: string; source: "TEST_DATABASE_URL" | "local" } | { skip: string } | { error: string }}
 */
export function testDatabaseDecision(env, local) {
  if (env.TEST_DATABASE_URL) {
    const problem = postgresUrlProblem(env.TEST_DATABASE_URL);
    return problem ? { error: problem } : { use: env.TEST_DATABASE_URL, source: "TEST_DATABASE_URL" };
  }
  if (local === null) return { skip: `TEST_DATABASE_URL is not set and no PostgreSQL answers on ${LOCAL_HOST}:${LOCAL_PORT}. ${HOW}` };
  if ("problem" in local) return { skip: `PostgreSQL answers on ${LOCAL_HOST}:${LOCAL_PORT} but ${local.problem}. ${HOW}` };
  return { use: local.url, source: "local" };
}

function answers(host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * A PostgreSQL server on 127.0.0.1:5432: connects as PGUSER, this computer's user or postgres
 * (PGPASSWORD if set) and creates kembali_test when it is missing.
 * @returns {Promise<null | { url: string } | { problem: string }>}
 */
export async function probeLocalPostgres(env = process.env) {
  if (!(await answers(LOCAL_HOST, LOCAL_PORT))) return null;
  // Loaded only here: test workers import this file's pure checks without a database driver.
  const { default: pg } = await import("pg");
  const users = [...new Set([env.PGUSER, os.userInfo().username, "postgres"].filter(Boolean))];
  let lastError = "";
  for (const user of users) {
    const client = new pg.Client({
      host: LOCAL_HOST,
      port: LOCAL_PORT,
      user,
      password: env.PGPASSWORD,
      database: "postgres",
      connectionTimeoutMillis: 3_000,
    });
    try {
      await client.connect();
    } catch (error) {
      lastError = error.message;
      continue;
    }
    try {
      const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [LOCAL_DATABASE]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${LOCAL_DATABASE}`);
      const password = env.PGPASSWORD ? `:${encodeURIComponent(env.PGPASSWORD)}` : "";
      return { url: `postgresql://${encodeURIComponent(user)}${password}@${LOCAL_HOST}:${LOCAL_PORT}/${LOCAL_DATABASE}` };
    } catch (error) {
      return { problem: `user ${user} cannot create or read ${LOCAL_DATABASE} (${error.message})` };
    } finally {
      await client.end().catch(() => {});
    }
  }
  return { problem: `none of ${users.join(", ")} may connect (${lastError})` };
}
