// Raw SQL with bound values, for the few queries Prisma's model API cannot say in one statement.
// Both generated clients take the tagged-template form of $queryRaw / $executeRaw, so values stay
// bind parameters on SQLite and PostgreSQL. Prisma's own Prisma.sql cannot be nested here: each
// generated client has its own copy of the runtime, and one copy's fragments are bound by the
// other as plain values.
import type { Tx } from "../db-types";

/** A piece of SQL and its bound values: `parts` has one more element than `values`. */
export class SqlFragment {
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly unknown[],
  ) {
    if (parts.length !== values.length + 1) throw new Error("SqlFragment: parts must be one more than values");
  }
}

/** Appends a fragment to parts and values being built: its first part joins the last one. */
function splice(parts: string[], values: unknown[], fragment: SqlFragment): void {
  parts[parts.length - 1] += fragment.parts[0];
  for (let k = 0; k < fragment.values.length; k++) {
    values.push(fragment.values[k]);
    parts.push(fragment.parts[k + 1]);
  }
}

/** A single bound value as a fragment. */
const bound = (value: unknown) => new SqlFragment(["", ""], [value]);

/** sql`... ${value} ...`: every value is bound, except a SqlFragment, which is spliced in with its own values. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  const parts = [strings[0]];
  const out: unknown[] = [];
  values.forEach((value, i) => {
    splice(parts, out, value instanceof SqlFragment ? value : bound(value));
    parts[parts.length - 1] += strings[i + 1];
  });
  return new SqlFragment(parts, out);
}

/** Fragments joined by `separator` (plain SQL text), or a list of values bound one by one ("?, ?, ?"). */
export function joinSql(items: readonly unknown[], separator = ", "): SqlFragment {
  if (items.length === 0) throw new Error("joinSql: nothing to join");
  const parts = [""];
  const values: unknown[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts[parts.length - 1] += separator;
    splice(parts, values, item instanceof SqlFragment ? item : bound(item));
  });
  return new SqlFragment(parts, values);
}

function template(parts: readonly string[]): TemplateStringsArray {
  return Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
}

/** Runs raw SQL assembled from parts and bound values (parts: one more than values). */
export function queryParts<T>(db: Tx, parts: readonly string[], values: readonly unknown[]): Promise<T> {
  if (parts.length !== values.length + 1) throw new Error("queryParts: parts must be one more than values");
  return db.$queryRaw<T>(template(parts), ...values);
}

/** Runs a raw statement assembled from parts and bound values; the number of rows it changed. */
export function execParts(db: Tx, parts: readonly string[], values: readonly unknown[]): Promise<number> {
  if (parts.length !== values.length + 1) throw new Error("execParts: parts must be one more than values");
  return db.$executeRaw(template(parts), ...values);
}

/** Runs a statement fragment (sql`...`); the number of rows it changed. */
export function execFragment(db: Tx, fragment: SqlFragment): Promise<number> {
  return execParts(db, fragment.parts, fragment.values);
}

/** Runs a query fragment (sql`...`). */
export function query<T>(db: Tx, fragment: SqlFragment): Promise<T[]> {
  return queryParts<T[]>(db, fragment.parts, fragment.values);
}

/** BigInt, number, numeric string or null from a driver -> number. */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return Number(String(value));
}

/** SQLite returns aggregated dates (MIN, MAX, LAG) as text, PostgreSQL as Date. */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
