// Bulk writes of the recommendation tables. A rebuild writes hundreds of thousands of count and
// neighbour rows: through Prisma one row costs tens of microseconds of CPU (createMany: 65 µs, a
// multi-row INSERT with four bound values a row: 13 µs), so rows go in as one JSON array bound
// as a single value and unpacked by the database (3 µs a row): json_each on SQLite,
// json_array_elements on PostgreSQL. Values stay bound, never spliced into the SQL.
import { dialectOf, type Tx } from "../../db-types";

/** Rows per statement: a few hundred kilobytes of JSON. */
const ROWS_PER_STATEMENT = 5_000;

/** Adds `n` to each product's count (RecsItem), creating missing rows. */
export async function addItemCounts(tx: Tx, shopId: string, rows: readonly (readonly [string, number])[]): Promise<void> {
  await inChunks(rows, (json) =>
    dialectOf(tx) === "postgresql"
      ? tx.$executeRaw`INSERT INTO "RecsItem" ("shopId", "productId", "baskets")
          SELECT ${shopId}, x->>0, (x->>1)::int FROM json_array_elements(${json}::json) AS x
          ON CONFLICT ("shopId", "productId") DO UPDATE SET "baskets" = "RecsItem"."baskets" + excluded."baskets"`
      : tx.$executeRaw`INSERT INTO "RecsItem" ("shopId", "productId", "baskets")
          SELECT ${shopId}, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${json}) WHERE true
          ON CONFLICT ("shopId", "productId") DO UPDATE SET "baskets" = "RecsItem"."baskets" + excluded."baskets"`,
  );
}

/** Adds `n` to each pair's count (RecsPair, productA < productB), creating missing rows. */
export async function addPairCounts(tx: Tx, shopId: string, rows: readonly (readonly [string, string, number])[]): Promise<void> {
  await inChunks(rows, (json) =>
    dialectOf(tx) === "postgresql"
      ? tx.$executeRaw`INSERT INTO "RecsPair" ("shopId", "productA", "productB", "baskets")
          SELECT ${shopId}, x->>0, x->>1, (x->>2)::int FROM json_array_elements(${json}::json) AS x
          ON CONFLICT ("shopId", "productA", "productB") DO UPDATE SET "baskets" = "RecsPair"."baskets" + excluded."baskets"`
      : tx.$executeRaw`INSERT INTO "RecsPair" ("shopId", "productA", "productB", "baskets")
          SELECT ${shopId}, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(${json}) WHERE true
          ON CONFLICT ("shopId", "productA", "productB") DO UPDATE SET "baskets" = "RecsPair"."baskets" + excluded."baskets"`,
  );
}

/**
 * A Product row for each product (so the admin finds it by title); an existing row keeps its
 * title unless it had none.
 */
export async function ensureProductRows(
  tx: Tx,
  shopId: string,
  rows: readonly (readonly [string, string | null])[],
  at: Date,
): Promise<void> {
  await inChunks(rows, (json) =>
    dialectOf(tx) === "postgresql"
      ? tx.$executeRaw`INSERT INTO "Product" ("shopId", "productId", "title", "updatedAt")
          SELECT ${shopId}, x->>0, x->>1, ${at} FROM json_array_elements(${json}::json) AS x
          ON CONFLICT ("shopId", "productId") DO UPDATE SET "title" = excluded."title"
          WHERE "Product"."title" IS NULL AND excluded."title" IS NOT NULL`
      : tx.$executeRaw`INSERT INTO "Product" ("shopId", "productId", "title", "updatedAt")
          SELECT ${shopId}, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ${at} FROM json_each(${json}) WHERE true
          ON CONFLICT ("shopId", "productId") DO UPDATE SET "title" = excluded."title"
          WHERE "Product"."title" IS NULL AND excluded."title" IS NOT NULL`,
  );
}

/**
 * PostgreSQL, one new order's basket in one statement: the shop's counts lock and basket count
 * (RecsState, as lockCounts), a Product row per product, +1 per item and per pair. Each step reads
 * the one before it (`FROM s`, `count(*) FROM p`, `count(*) FROM i`), so they run in that order,
 * the order the separate statements take their row locks in (items and pairs sorted by the caller):
 * two orders of one shop never lock rows the other way round.
 */
export async function countBasketAtOnce(
  tx: Tx,
  shopId: string,
  items: readonly (readonly [string, string | null])[],
  pairs: readonly (readonly [string, string])[],
  at: Date,
): Promise<void> {
  const [itemJson, pairJson] = [JSON.stringify(items), JSON.stringify(pairs)];
  await tx.$executeRaw`WITH s AS (
      INSERT INTO "RecsState" ("shopId", "countsVersion", "baskets", "updatedAt") VALUES (${shopId}, 1, 1, ${at})
      ON CONFLICT ("shopId") DO UPDATE SET "countsVersion" = "RecsState"."countsVersion" + 1,
        "baskets" = "RecsState"."baskets" + excluded."baskets", "updatedAt" = excluded."updatedAt"
      RETURNING 1
    ), p AS (
      INSERT INTO "Product" ("shopId", "productId", "title", "updatedAt")
      SELECT ${shopId}, x->>0, x->>1, ${at} FROM s, json_array_elements(${itemJson}::json) AS x
      ON CONFLICT ("shopId", "productId") DO UPDATE SET "title" = excluded."title"
      WHERE "Product"."title" IS NULL AND excluded."title" IS NOT NULL
      RETURNING 1
    ), i AS (
      INSERT INTO "RecsItem" ("shopId", "productId", "baskets")
      SELECT ${shopId}, x->>0, 1 FROM (SELECT count(*) FROM p) AS done, json_array_elements(${itemJson}::json) AS x
      ON CONFLICT ("shopId", "productId") DO UPDATE SET "baskets" = "RecsItem"."baskets" + excluded."baskets"
      RETURNING 1
    )
    INSERT INTO "RecsPair" ("shopId", "productA", "productB", "baskets")
    SELECT ${shopId}, x->>0, x->>1, 1 FROM (SELECT count(*) FROM i) AS done, json_array_elements(${pairJson}::json) AS x
    ON CONFLICT ("shopId", "productA", "productB") DO UPDATE SET "baskets" = "RecsPair"."baskets" + excluded."baskets"`;
}

/** Inserts neighbour rows (product, neighbour or "" for the baseline, score); the caller deleted the old ones. */
export async function insertNeighbourRows(tx: Tx, shopId: string, rows: readonly (readonly [string, string, number])[]): Promise<void> {
  await inChunks(rows, (json) =>
    dialectOf(tx) === "postgresql"
      ? tx.$executeRaw`INSERT INTO "RecsNeighbour" ("shopId", "productId", "neighbourId", "score")
          SELECT ${shopId}, x->>0, x->>1, (x->>2)::double precision FROM json_array_elements(${json}::json) AS x`
      : tx.$executeRaw`INSERT INTO "RecsNeighbour" ("shopId", "productId", "neighbourId", "score")
          SELECT ${shopId}, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(${json})`,
  );
}

/**
 * Adds the given orders (just flagged as counted; every one has a product line) to the counts
 * inside the database: per product and per pair (productA < productB in code-point order, as
 * the incremental path sorts them; COLLATE "C" on PostgreSQL) the number of these orders holding
 * it, plus a Product row per product. Nothing but the ids crosses into JavaScript: a rebuild's
 * batch reads and writes tens of thousands of rows.
 */
export async function addOrderCounts(tx: Tx, shopId: string, orderIds: readonly string[], at: Date): Promise<void> {
  for (let i = 0; i < orderIds.length; i += ROWS_PER_STATEMENT) {
    const ids = JSON.stringify(orderIds.slice(i, i + ROWS_PER_STATEMENT));
    if (dialectOf(tx) === "postgresql") {
      // The order ids drive the plan (nested loop over the orderId index); the planner's estimates
      // of a freshly imported history would otherwise pick a scan of every line, and JIT-compile it.
      await tx.$executeRawUnsafe("SET LOCAL jit = off");
      await tx.$executeRaw`INSERT INTO "Product" ("shopId", "productId", "title", "updatedAt")
        SELECT ${shopId}, l."productId", MAX(l."title"), ${at}
        FROM json_array_elements_text(${ids}::json) AS o(id) JOIN "OrderLine" l ON l."orderId" = o.id
        WHERE l."productId" IS NOT NULL
        GROUP BY l."productId"
        ON CONFLICT ("shopId", "productId") DO UPDATE SET "title" = excluded."title"
        WHERE "Product"."title" IS NULL AND excluded."title" IS NOT NULL`;
      await tx.$executeRaw`INSERT INTO "RecsItem" ("shopId", "productId", "baskets")
        SELECT ${shopId}, l."productId", COUNT(DISTINCT l."orderId")
        FROM json_array_elements_text(${ids}::json) AS o(id) JOIN "OrderLine" l ON l."orderId" = o.id
        WHERE l."productId" IS NOT NULL
        GROUP BY l."productId"
        ON CONFLICT ("shopId", "productId") DO UPDATE SET "baskets" = "RecsItem"."baskets" + excluded."baskets"`;
      await tx.$executeRaw`WITH l AS MATERIALIZED (
          SELECT l."orderId", l."productId" FROM json_array_elements_text(${ids}::json) AS o(id)
          JOIN "OrderLine" l ON l."orderId" = o.id WHERE l."productId" IS NOT NULL
        )
        INSERT INTO "RecsPair" ("shopId", "productA", "productB", "baskets")
        SELECT ${shopId}, a."productId", b."productId", COUNT(DISTINCT a."orderId")
        FROM l a JOIN l b ON b."orderId" = a."orderId" AND a."productId" COLLATE "C" < b."productId" COLLATE "C"
        GROUP BY a."productId", b."productId"
        ON CONFLICT ("shopId", "productA", "productB") DO UPDATE SET "baskets" = "RecsPair"."baskets" + excluded."baskets"`;
    } else {
      await tx.$executeRaw`INSERT INTO "Product" ("shopId", "productId", "title", "updatedAt")
        SELECT ${shopId}, l."productId", MAX(l."title"), ${at} FROM "OrderLine" l
        WHERE l."orderId" IN (SELECT value FROM json_each(${ids})) AND l."productId" IS NOT NULL
        GROUP BY l."productId"
        ON CONFLICT ("shopId", "productId") DO UPDATE SET "title" = excluded."title"
        WHERE "Product"."title" IS NULL AND excluded."title" IS NOT NULL`;
      await tx.$executeRaw`INSERT INTO "RecsItem" ("shopId", "productId", "baskets")
        SELECT ${shopId}, l."productId", COUNT(DISTINCT l."orderId") FROM "OrderLine" l
        WHERE l."orderId" IN (SELECT value FROM json_each(${ids})) AND l."productId" IS NOT NULL
        GROUP BY l."productId"
        ON CONFLICT ("shopId", "productId") DO UPDATE SET "baskets" = "RecsItem"."baskets" + excluded."baskets"`;
      await tx.$executeRaw`INSERT INTO "RecsPair" ("shopId", "productA", "productB", "baskets")
        SELECT ${shopId}, a."productId", b."productId", COUNT(DISTINCT a."orderId")
        FROM "OrderLine" a JOIN "OrderLine" b ON b."orderId" = a."orderId" AND a."productId" < b."productId"
        WHERE a."orderId" IN (SELECT value FROM json_each(${ids}))
        GROUP BY a."productId", b."productId"
        ON CONFLICT ("shopId", "productA", "productB") DO UPDATE SET "baskets" = "RecsPair"."baskets" + excluded."baskets"`;
    }
  }
}

/** Every pair count of a shop, in one query (the refit needs them all in memory anyway). */
export async function readPairCounts(db: Tx, shopId: string): Promise<{ productA: string; productB: string; baskets: number }[]> {
  const rows = await db.$queryRaw<{ productA: string; productB: string; baskets: number | bigint }[]>`
    SELECT "productA", "productB", "baskets" FROM "RecsPair" WHERE "shopId" = ${shopId} AND "baskets" > 0`;
  return rows.map((r) => ({ productA: r.productA, productB: r.productB, baskets: Number(r.baskets) }));
}

/** Every stored list row of a shop, in one query. */
export async function readNeighbourRows(db: Tx, shopId: string): Promise<{ productId: string; neighbourId: string; score: number }[]> {
  const rows = await db.$queryRaw<{ productId: string; neighbourId: string; score: number }[]>`
    SELECT "productId", "neighbourId", "score" FROM "RecsNeighbour" WHERE "shopId" = ${shopId}`;
  return rows.map((r) => ({ productId: r.productId, neighbourId: r.neighbourId, score: Number(r.score) }));
}

async function inChunks<T>(rows: readonly T[], write: (json: string) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await write(JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT)));
}
