import { describe, expect, it } from "vitest";
import { joinSql, sql, SqlFragment } from "~/domain/sql";

describe("raw SQL fragments (app/domain/sql.ts)", () => {
  it("binds every value and splices fragments in with their own values, in order", () => {
    const codes = joinSql(["A", "B"]);
    const q = sql`SELECT 1 FROM "T" WHERE "shopId" = ${"s1"} AND "code" IN (${codes}) AND "n" = ${7}`;
    expect(q.parts).toEqual(['SELECT 1 FROM "T" WHERE "shopId" = ', ' AND "code" IN (', ", ", ') AND "n" = ', ""]);
    expect(q.values).toEqual(["s1", "A", "B", 7]);
  });

  it("joins fragments with plain SQL text between them", () => {
    const q = joinSql([sql`SELECT ${1}`, sql`SELECT ${2} AS "x", ${3}`], " UNION ALL ");
    expect(q.parts).toEqual(["SELECT ", " UNION ALL SELECT ", ' AS "x", ', ""]);
    expect(q.values).toEqual([1, 2, 3]);
  });

  it("keeps text that looks like SQL as a bound value, never as SQL", () => {
    const q = sql`SELECT * FROM "T" WHERE "name" = ${'x\'; DROP TABLE "T"; --'}`;
    expect(q.parts.join("?")).toBe('SELECT * FROM "T" WHERE "name" = ?');
    expect(q.values).toEqual(['x\'; DROP TABLE "T"; --']);
  });

  it("refuses an empty list and malformed fragments", () => {
    expect(() => joinSql([])).toThrow(/nothing to join/);
    expect(() => new SqlFragment(["a"], [1])).toThrow(/one more/);
  });
});
