// One shape for every goal `npm run bench` checks (issue 15): a JSON line with the measured
// value, its unit, the database it ran on, the goal (a ceiling `max` or a floor `min`, on the
// value itself or on its ratio to a baseline measured in the same run) and whether it was met.
// A benchmark prints every figure with goalLine and exits 1 when any line is not ok.

export type BenchDatabase = "sqlite" | "postgresql" | null;

export interface Goal {
  metric: string;
  /** Which database the figure was measured on (null when none is involved). */
  database: BenchDatabase;
  value: number;
  unit: string;
  /** The value may not be above this. */
  max?: number;
  /** The value may not be below this. */
  min?: number;
  /** A figure measured side by side in the same run (a bare loop, a bare server). */
  baseline?: number;
  /** value / baseline may not be below this (throughputs). */
  ratioMin?: number;
  /** value / baseline may not be above this (costs). */
  ratioMax?: number;
  /** Anything else worth printing (p50, counts, ...). */
  details?: Record<string, unknown>;
}

export interface GoalLine extends Goal {
  ratio?: number;
  ok: boolean;
}

export function checkGoal(goal: Goal): GoalLine {
  const ratio = goal.baseline ? Number((goal.value / goal.baseline).toFixed(3)) : undefined;
  const ok =
    Number.isFinite(goal.value) &&
    (goal.max === undefined || goal.value <= goal.max) &&
    (goal.min === undefined || goal.value >= goal.min) &&
    (goal.ratioMin === undefined || (ratio !== undefined && ratio >= goal.ratioMin)) &&
    (goal.ratioMax === undefined || (ratio !== undefined && ratio <= goal.ratioMax));
  return { ...goal, ...(ratio === undefined ? {} : { ratio }), ok };
}

const missed: GoalLine[] = [];

/** Prints the goal's JSON line and remembers a missed one (see exitOnMissedGoals). */
export function goalLine(goal: Goal): GoalLine {
  const line = checkGoal(goal);
  console.log(JSON.stringify(line));
  if (!line.ok) missed.push(line);
  return line;
}

/**
 * At the end of a benchmark: one line per missed goal on stderr, exit code 1. With
 * BENCH_PERFORMANCE_GOALS=report (CI, on machines of any speed) a missed speed goal is printed
 * but does not fail the run; a missed goal of zero (lost, doubled, overspent, errors) always
 * does: that is correctness, not speed. See docs/decisions/042-ci-reports-speed-goals.md.
 */
export function exitOnMissedGoals(): void {
  const reportOnly = process.env.BENCH_PERFORMANCE_GOALS === "report";
  let failed = false;
  for (const line of missed) {
    const correctness = line.max === 0;
    const enforced = correctness || !reportOnly;
    failed ||= enforced;
    console.error(
      `Missed goal${enforced ? "" : " (speed, reported only)"}: ${line.metric} (${line.database ?? "no database"}) = ${line.value} ${line.unit}`,
    );
  }
  if (failed) process.exitCode = 1;
}

/** The PostgreSQL database benchmarks may reset: BENCH_POSTGRES_URL, else a local one. */
export const benchPostgresUrl = () => process.env.BENCH_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/kembali_bench";

/**
 * A fresh benchmark database with every migration applied, and its URL: `.tmp/<name>.db` for
 * SQLite; for PostgreSQL the database at benchPostgresUrl() (created when missing, then reset).
 */
export async function freshBenchDatabase(database: "sqlite" | "postgresql", name: string): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  let url: string;
  if (database === "sqlite") {
    const { mkdirSync, rmSync } = await import("node:fs");
    mkdirSync(".tmp", { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`.tmp/${name}.db${suffix}`, { force: true });
    url = `file:./.tmp/${name}.db`;
  } else {
    url = benchPostgresUrl();
    const { default: pg } = await import("pg");
    const target = new URL(url);
    const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
    await admin.connect();
    const name = decodeURIComponent(target.pathname.slice(1));
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    await admin.end();
  }
  execFileSync("npx", ["prisma", "migrate", "reset", "--force", "--skip-generate", "--skip-seed"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "ignore",
  });
  return url;
}

/** The demo shop (npm run demo's data) on a fresh SQLite database, served by the built app on `port`. */
export async function startDemoBenchApp(name: string, port: number) {
  const { execFileSync } = await import("node:child_process");
  const { startServer } = await import("../scripts/server.js");
  const DATABASE_URL = await freshBenchDatabase("sqlite", name);
  const demo = { DATABASE_URL, DEMO_MODE: "1", SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "" };
  execFileSync("npx", ["tsx", "scripts/seed.ts"], { env: { ...process.env, ...demo, HOST: "127.0.0.1" }, stdio: "ignore" });
  return startServer({ port, quiet: true, env: demo });
}
