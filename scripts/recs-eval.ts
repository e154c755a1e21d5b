// npm run recs:eval -- --data <basket file> [--seeds 5] [--k 10] [--validation] [--candidates]
// Runs the offline protocol of ../shared/data/README.md (hold-one-out hit rate) on any basket
// file — one basket a line, items comma-separated — for the shipped recommender and the
// best-seller baseline (the same query path's fallback). Prints a table, then as its last line
// one JSON object: {"baskets","items","hr5","hr10","hr10_sd","popularity_hr10","ms"}.
//   --validation   figures on a validation split carved out of each seed's training baskets
//                  (what parameters are chosen on), not on the test baskets
//   --candidates   every scoring the decision compared, not only the shipped one
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { evaluate } from "../app/domain/recommendations/evaluate";
import { DEFAULT_RECS_PARAMS, type RecsParams } from "../app/domain/recommendations/model";
import { parseBaskets } from "./recs-baskets";

const started = performance.now();
const usage = "usage: npm run recs:eval -- --data <basket file> [--seeds 5] [--k 10] [--validation] [--candidates]";

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      data: { type: "string" },
      seeds: { type: "string", default: "5" },
      k: { type: "string", default: "10" },
      validation: { type: "boolean", default: false },
      candidates: { type: "boolean", default: false },
    },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
if (!args.data) fail(usage);
const seeds = Number(args.seeds);
const k = Number(args.k);
if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100) fail(`--seeds must be a whole number from 1 to 100\n${usage}`);
if (!Number.isInteger(k) || k < 1 || k > 1000) fail(`--k must be a whole number from 1 to 1000\n${usage}`);

let text: string;
try {
  text = readFileSync(args.data, "utf8");
} catch (error) {
  fail(`cannot read ${args.data}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 1);
}
let baskets: string[][];
try {
  baskets = parseBaskets(text);
} catch (error) {
  fail(`cannot parse ${args.data}: ${(error as Error).message}`, 1);
}

const shipped = { name: "shipped: EASE + intercept", params: DEFAULT_RECS_PARAMS };
const popularity = { name: "best sellers", params: { ...DEFAULT_RECS_PARAMS, minSupport: Infinity } };
const configs = args.candidates ? candidates() : [shipped, popularity];
const ks = [...new Set([5, 10, k])].sort((a, b) => a - b);
const result = evaluate(baskets, configs, { seeds, ks, validation: args.validation });

const pct = (x: number) => x.toFixed(3);
console.log(
  `${args.validation ? "validation split of the training baskets" : "test baskets"}: ${result.baskets} baskets, ${result.items} items, ` +
    `${Math.round(result.cases)} cases per seed, ${seeds} seeds`,
);
console.log(["scoring".padEnd(44), ...ks.map((x) => `HR@${x}`.padStart(15)), "build ms".padStart(10)].join(""));
for (const r of result.results) {
  const cells = ks.map((x) => `${pct(r.hr.get(x)!.mean)} ± ${pct(r.hr.get(x)!.sd)}`.padStart(15));
  console.log([r.name.padEnd(44), ...cells, r.buildMs.toFixed(0).padStart(10)].join(""));
}
const main = result.results.find((r) => r.name === shipped.name)!;
const base = result.results.find((r) => r.name === popularity.name)!;
const line: Record<string, number> = {
  baskets: result.baskets,
  items: result.items,
  hr5: round(main.hr.get(5)!.mean),
  hr10: round(main.hr.get(10)!.mean),
  hr10_sd: round(main.hr.get(10)!.sd),
  popularity_hr10: round(base.hr.get(10)!.mean),
};
if (k !== 5 && k !== 10) {
  line[`hr${k}`] = round(main.hr.get(k)!.mean);
  line[`hr${k}_sd`] = round(main.hr.get(k)!.sd);
  line[`popularity_hr${k}`] = round(base.hr.get(k)!.mean);
}
line.ms = Math.round(performance.now() - started);
console.log(JSON.stringify(line));

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** The candidates of the decision's table: each family over a small grid. */
function candidates(): { name: string; params: RecsParams }[] {
  const base = { ...DEFAULT_RECS_PARAMS, minSupport: 1 };
  const pairs = (alpha: number, exponent = 1, shrink = 0) => ({ kind: "pairs" as const, alpha, exponent, shrink });
  const ease = (lambda: number, intercept: boolean) => ({ kind: "ease" as const, lambda, head: 1000, intercept });
  const out: { name: string; params: RecsParams }[] = [popularity, shipped];
  out.push({ name: "cosine", params: { ...base, scoring: pairs(0.5) } });
  out.push({ name: "confidence", params: { ...base, scoring: pairs(1) } });
  for (const shrink of [5, 20]) out.push({ name: `cosine, shrink ${shrink}`, params: { ...base, scoring: pairs(0.5, 1, shrink) } });
  for (const shrink of [5, 20]) out.push({ name: `confidence, shrink ${shrink}`, params: { ...base, scoring: pairs(1, 1, shrink) } });
  for (const alpha of [0.6, 0.7, 0.8, 0.9]) {
    for (const exponent of [1, 2, 3])
      out.push({ name: `asymmetric cosine α ${alpha}, exponent ${exponent}`, params: { ...base, scoring: pairs(alpha, exponent) } });
  }
  for (const beta of [0.1, 0.3, 1])
    out.push({ name: `confidence + ${beta} × popularity`, params: { ...base, scoring: pairs(1), popularity: beta } });
  for (const lambda of [50, 100, 200, 500, 1000]) out.push({ name: `EASE λ ${lambda}`, params: { ...base, scoring: ease(lambda, false) } });
  for (const beta of [0.1, 0.3, 0.5])
    out.push({ name: `EASE λ 200 + ${beta} × popularity`, params: { ...base, scoring: ease(200, false), popularity: beta } });
  for (const lambda of [50, 100, 200, 500])
    out.push({ name: `EASE + intercept λ ${lambda}`, params: { ...base, scoring: ease(lambda, true) } });
  for (const minSupport of [1, 3, 5, 10, 20])
    out.push({ name: `EASE + intercept λ 100, min support ${minSupport}`, params: { ...DEFAULT_RECS_PARAMS, minSupport } });
  for (const neighbours of [10, 20, 100])
    out.push({ name: `EASE + intercept λ 100, ${neighbours} neighbours`, params: { ...DEFAULT_RECS_PARAMS, neighbours } });
  return out;
}
