// Importing members from another loyalty app's CSV (Settings). Uploading a file writes no
// points and changes no member: the rows are parsed, matched to the shop's customers and
// staged, and the merchant sees what would change. Confirming queues a durable job that
// applies the staged rows, each in its own transaction:
// - points: the file's number is the balance carried over from the old app. The member's
//   import entries ("adjust", source "import") are made to add up to it, so a second file
//   corrects the first instead of adding to it, and points earned or spent in Kembali stay.
//   The entry's key is import:<file hash>:<customer>, so the same file never applies twice.
// - tier: must be one of the current tier program's tiers; the member holds at least it
//   for TIER_FLOOR_MONTHS (carryOverTier), recorded like any other tier change.
// - birthday and referral code: set as given.
// Why these rules: docs/decisions/007-member-csv-import.md.
import { createHash } from "node:crypto";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import type { Deps, ShopifyFor, TxDeps } from "../deps";
import type { JobHandler } from "../jobs";
import { enqueueJob } from "../jobs";
import { appendEntry } from "../ledger/ledger";
import { KembaliError, InsufficientPoints } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { addMonths } from "../ledger/expiry";
import { findShop } from "../shop/shops";
import { FORGOTTEN_ROW } from "./compliance";
import { RESYNC_CODE_DISCOUNT } from "../referrals/discounts";
import { carryOverTier, currentTierProgram, syncTierChanges, type Tier } from "../tiers";
import { MemberCsvError, parseMemberCsv, type MemberCsvRow, type MemberField, type RowError } from "./member-csv";

export const MEMBER_IMPORT_JOB = "member_import";
/** How long a carried-over tier holds when the member's own activity would place them lower. */
export const TIER_FLOOR_MONTHS = 12;
/** Rows applied per job step. */
const STEP_ROWS = 200;
/** Ids per IN list: under SQLite's bind-parameter limit. */
const CHUNK = 500;
/** Rows with a problem listed on the page (the counts cover them all). */
const PROBLEMS_SHOWN = 100;
/** Row errors whose value is the customer's own data (kept only until the import is applied). */
const PERSONAL_VALUE_ERRORS: readonly RowError[] = [
  "bad_customer_id",
  "bad_email",
  "bad_birthday",
  "bad_referral_code",
  "referral_code_taken",
];
/** Rows staged per statement (Prisma splits a statement further if a database needs it). */
const STAGE_ROWS = 1000;

export type RowOutcome = "applied" | "unchanged" | "already_imported" | "failed";

export interface ImportCounts {
  /** Data rows in the file. */
  rows: number;
  /** Rows matched to a member, without errors. */
  matched: number;
  /** Matched rows that change something (points, tier, birthday or referral code). */
  changes: number;
  /** Rows whose customer is not in Kembali. */
  notFound: number;
  /** Rows with any other problem. */
  errors: number;
}

export interface ImportProblem {
  line: number;
  error: RowError;
  /** The value at fault, or who the row names (email or customer id) while the import is not applied. */
  value: string | null;
}

export interface MemberImportView {
  id: string;
  fileName: string;
  status: "previewed" | "queued" | "applied";
  createdAt: string;
  appliedAt: string | null;
  columns: Partial<Record<MemberField, string>>;
  counts: ImportCounts;
  /** When this same file (same content) was applied before: confirming would change nothing. */
  alreadyImportedAt: string | null;
  problems: ImportProblem[];
  job: { status: "queued" | "running" | "done" | "failed"; progress: number; total: number | null; error: string | null } | null;
  /** Once applied: rows per outcome. */
  outcomes: Partial<Record<RowOutcome, number>> | null;
}

interface Summary {
  columns: Partial<Record<MemberField, string>>;
  counts: ImportCounts;
  alreadyImportedAt: string | null;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function shopOf(db: Deps["db"], domain: string) {
  const shop = await findShop(db, domain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  return shop;
}

const ledgerKey = (fileHash: string, customerId: string) => `import:${fileHash.slice(0, 32)}:${customerId}`;

/** A tier as the file names it: the tier's name or key, in any case. */
function tierIndex(tiers: readonly Tier[]): Map<string, Tier> {
  const byName = new Map<string, Tier>();
  for (const t of tiers) {
    byName.set(t.key.toLowerCase(), t);
    byName.set(t.name.trim().toLowerCase(), t);
  }
  return byName;
}

interface StagedRow extends MemberCsvRow {
  customerId: string | null;
  tierKey: string | null;
  changes: boolean;
}

/**
 * Reads, matches and stages an uploaded file; writes no points and changes no member.
 * A file that cannot be read at all is BAD_INPUT with fields.file = an i18n key.
 * The shop's older previews that were never confirmed are dropped.
 */
export async function previewMemberImport(
  deps: TxDeps,
  shopDomain: string,
  file: { name: string; bytes: Uint8Array },
): Promise<MemberImportView> {
  const shop = await shopOf(deps.db, shopDomain);
  let csv;
  try {
    csv = parseMemberCsv(file.bytes);
  } catch (error) {
    if (error instanceof MemberCsvError) {
      throw new KembaliError("BAD_INPUT", error.message, { fields: { file: `settings.import.error.${error.reason}` } });
    }
    throw error;
  }
  const fileHash = createHash("sha256").update(file.bytes).digest("hex");
  const rows = await matchRows(deps, shop.id, csv.rows, fileHash);
  const before = await deps.db.memberImport.findFirst({
    where: { shopId: shop.id, fileHash, status: "applied" },
    orderBy: { appliedAt: "asc" },
    select: { appliedAt: true },
  });

  const counts: ImportCounts = { rows: rows.length, matched: 0, changes: 0, notFound: 0, errors: 0 };
  for (const r of rows) {
    if (r.error === "not_found") counts.notFound++;
    else if (r.error) counts.errors++;
    else {
      counts.matched++;
      if (r.changes) counts.changes++;
    }
  }
  const summary: Summary = { columns: csv.columns, counts, alreadyImportedAt: before?.appliedAt?.toISOString() ?? null };
  const fileName = [...file.name.trim()].slice(0, 200).join("") || "members.csv";

  const created = await deps.transaction(async (tx) => {
    const stale = await tx.memberImport.findMany({ where: { shopId: shop.id, status: "previewed" }, select: { id: true } });
    if (stale.length) {
      await tx.memberImportRow.deleteMany({ where: { importId: { in: stale.map((s) => s.id) } } });
      await tx.memberImport.updateMany({ where: { id: { in: stale.map((s) => s.id) } }, data: { status: "superseded" } });
    }
    return tx.memberImport.create({
      data: { shopId: shop.id, fileName, fileHash, status: "previewed", summary: summary as never, createdAt: deps.clock() },
    });
  });
  // Staged outside that transaction (a big file is many statements); the import is usable only
  // once confirmed, and confirming checks every row is there.
  for (let i = 0; i < rows.length; i += STAGE_ROWS) {
    await deps.db.memberImportRow.createMany({
      data: rows.slice(i, i + STAGE_ROWS).map((r) => ({
        importId: created.id,
        line: r.line,
        shopifyCustomerId: r.shopifyCustomerId,
        email: r.email,
        points: r.points,
        tierKey: r.tierKey,
        birthdayMonth: r.birthday?.month ?? null,
        birthdayDay: r.birthday?.day ?? null,
        referralCode: r.referralCode,
        customerId: r.error ? null : r.customerId,
        error: r.error,
        errorValue: r.errorValue,
      })),
    });
  }
  return importView(deps, created.id);
}

/** Matches each valid row to a customer and checks it against the shop's tiers, codes and ledger. */
async function matchRows(deps: Deps, shopId: string, parsed: MemberCsvRow[], fileHash: string): Promise<StagedRow[]> {
  const { db } = deps;
  const rows: StagedRow[] = parsed.map((r) => ({ ...r, customerId: null, tierKey: null, changes: false }));
  const valid = rows.filter((r) => !r.error);

  type Found = {
    id: string;
    tier: string | null;
    balance: number;
    birthdayMonth: number | null;
    birthdayDay: number | null;
    holdout: boolean;
  };
  const select = {
    id: true,
    shopifyCustomerId: true,
    email: true,
    tier: true,
    balance: true,
    birthdayMonth: true,
    birthdayDay: true,
    holdout: true,
  };
  const byId = new Map<string, Found>();
  for (const ids of chunks([...new Set(valid.flatMap((r) => (r.shopifyCustomerId ? [r.shopifyCustomerId] : [])))])) {
    for (const c of await db.customer.findMany({ where: { shopId, shopifyCustomerId: { in: ids }, redactedAt: null }, select }))
      byId.set(c.shopifyCustomerId, c);
  }
  // Emails are matched ignoring case, which neither database does for IN: walk the shop's
  // customers that have an email, a page at a time, and keep those the file names.
  const wanted = new Set(valid.flatMap((r) => (r.email && !(r.shopifyCustomerId && byId.has(r.shopifyCustomerId)) ? [r.email] : [])));
  const byEmail = new Map<string, Found>();
  for (let cursor: string | undefined; wanted.size > byEmail.size;) {
    const page = await db.customer.findMany({
      where: { shopId, email: { not: null }, redactedAt: null },
      select,
      orderBy: { id: "asc" },
      take: 5000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const c of page) {
      const email = c.email!.toLowerCase();
      if (wanted.has(email) && !byEmail.has(email)) byEmail.set(email, c);
    }
    if (page.length < 5000) break;
    cursor = page[page.length - 1].id;
  }

  const program = await currentTierProgram(db, shopId);
  const tiers = tierIndex(program?.tiers ?? []);
  const codes = [...new Set(valid.flatMap((r) => (r.referralCode ? [r.referralCode] : [])))];
  const codeOwner = new Map<string, string>();
  for (const part of chunks(codes)) {
    for (const c of await db.referralCode.findMany({ where: { shopId, code: { in: part } }, select: { code: true, customerId: true } })) {
      codeOwner.set(c.code, c.customerId);
    }
  }

  const seen = new Map<string, number>();
  const matched: Array<{ row: StagedRow; customer: Found }> = [];
  for (const row of valid) {
    const fail = (error: RowError, value: string | null) => {
      row.error = error;
      row.errorValue = value;
    };
    const customer =
      (row.shopifyCustomerId ? byId.get(row.shopifyCustomerId) : undefined) ?? (row.email ? byEmail.get(row.email) : undefined);
    if (!customer) {
      fail("not_found", null);
      continue;
    }
    // The program leaves held-out customers alone: no points, tier or code (decision 010).
    if (customer.holdout) {
      fail("held_out", null);
      continue;
    }
    const earlier = seen.get(customer.id);
    if (earlier !== undefined) {
      fail("duplicate", String(earlier));
      continue;
    }
    seen.set(customer.id, row.line);
    if (row.tier) {
      const tier = tiers.get(row.tier.trim().toLowerCase());
      if (!tier) {
        fail("unknown_tier", row.tier);
        continue;
      }
      row.tierKey = tier.key;
    }
    if (row.referralCode) {
      const owner = codeOwner.get(row.referralCode);
      if (owner !== undefined && owner !== customer.id) {
        fail("referral_code_taken", row.referralCode);
        continue;
      }
      codeOwner.set(row.referralCode, customer.id);
    }
    row.customerId = customer.id;
    matched.push({ row, customer });
  }

  // Points: what the member's import entries add up to now, and whether this file already applied.
  const withPoints = matched.filter((m) => m.row.points !== null);
  const imported = new Map<string, number>();
  const appliedKeys = new Set<string>();
  for (const part of chunks(withPoints.map((m) => m.customer.id))) {
    const sums = await db.pointsEntry.groupBy({
      by: ["customerId"],
      where: { shopId, customerId: { in: part }, sourceType: "import" },
      _sum: { points: true },
    });
    for (const s of sums) imported.set(s.customerId, s._sum.points ?? 0);
    const keys = part.map((id) => ledgerKey(fileHash, id));
    for (const e of await db.pointsEntry.findMany({ where: { shopId, idempotencyKey: { in: keys } }, select: { idempotencyKey: true } })) {
      appliedKeys.add(e.idempotencyKey);
    }
  }
  const codesHeld = new Map<string, string>();
  for (const part of chunks(matched.filter((m) => m.row.referralCode).map((m) => m.customer.id))) {
    for (const c of await db.referralCode.findMany({
      where: { shopId, customerId: { in: part } },
      select: { customerId: true, code: true },
    })) {
      codesHeld.set(c.customerId, c.code);
    }
  }

  for (const { row, customer } of matched) {
    let pointsChange = 0;
    if (row.points !== null && !appliedKeys.has(ledgerKey(fileHash, customer.id))) {
      pointsChange = row.points - (imported.get(customer.id) ?? 0);
      // Taking back more than the member can spend now: they spent carried-over points already.
      if (pointsChange < 0 && customer.balance < -pointsChange) {
        row.error = "below_zero";
        row.errorValue = String(row.points);
        row.customerId = null;
        continue;
      }
    }
    row.changes =
      pointsChange !== 0 ||
      (row.tierKey !== null && row.tierKey !== customer.tier) ||
      (row.birthday !== null && (row.birthday.month !== customer.birthdayMonth || row.birthday.day !== customer.birthdayDay)) ||
      (row.referralCode !== null && codesHeld.get(customer.id) !== row.referralCode);
  }
  return rows;
}

/** The shop's latest import (a preview, queued or applied), or null. */
export async function latestMemberImport(deps: Pick<Deps, "db">, shopDomain: string): Promise<MemberImportView | null> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return null;
  const latest = await deps.db.memberImport.findFirst({
    where: { shopId: shop.id, status: { not: "superseded" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  return latest ? importView(deps, latest.id) : null;
}

async function importView(deps: Pick<Deps, "db">, importId: string): Promise<MemberImportView> {
  const imp = await deps.db.memberImport.findUniqueOrThrow({ where: { id: importId } });
  const summary = imp.summary as unknown as Summary;
  const [problemRows, job, outcomes] = await Promise.all([
    deps.db.memberImportRow.findMany({
      where: { importId, OR: [{ error: { not: null } }, { outcome: "failed" }] },
      orderBy: { line: "asc" },
      take: PROBLEMS_SHOWN,
      select: { line: true, error: true, errorValue: true, email: true, shopifyCustomerId: true },
    }),
    imp.jobId ? deps.db.job.findUnique({ where: { id: imp.jobId } }) : null,
    imp.status === "applied"
      ? deps.db.memberImportRow.groupBy({ by: ["outcome"], where: { importId, outcome: { not: null } }, _count: { _all: true } })
      : null,
  ]);
  return {
    id: imp.id,
    fileName: imp.fileName,
    status: imp.status as MemberImportView["status"],
    createdAt: imp.createdAt.toISOString(),
    appliedAt: imp.appliedAt?.toISOString() ?? null,
    columns: summary.columns,
    counts: summary.counts,
    alreadyImportedAt: summary.alreadyImportedAt,
    problems: problemRows.map((r) => ({
      line: r.line,
      error: r.error as RowError,
      value: r.error === "not_found" || r.error === "held_out" ? (r.email ?? r.shopifyCustomerId) : r.errorValue,
    })),
    job: job
      ? { status: job.status as "queued" | "running" | "done" | "failed", progress: job.progress, total: job.total, error: job.error }
      : null,
    outcomes: outcomes ? Object.fromEntries(outcomes.map((o) => [o.outcome as RowOutcome, o._count._all])) : null,
  };
}

/**
 * The merchant confirms a preview: queues the job that applies it. One member import runs at a
 * time per shop; a preview of a file already applied has nothing left to do.
 */
export async function confirmMemberImport(deps: TxDeps, shopDomain: string, importId: string): Promise<MemberImportView> {
  const shop = await shopOf(deps.db, shopDomain);
  const refuse = (key: string) => new KembaliError("BAD_INPUT", "This import cannot start", { fields: { form: key } });
  await deps.transaction(async (tx) => {
    const imp = await tx.memberImport.findFirst({ where: { id: importId, shopId: shop.id } });
    if (!imp || imp.status === "superseded") throw refuse("settings.import.error.gone");
    if (imp.status !== "previewed") throw refuse("settings.import.error.started");
    const counts = (imp.summary as unknown as Summary).counts;
    if (counts.changes === 0) throw refuse("settings.import.error.nothing");
    const staged = await tx.memberImportRow.count({ where: { importId } });
    if (staged !== counts.rows) throw refuse("settings.import.error.gone");
    // A queued import whose job gave up (failed) no longer blocks the next one.
    const queued = await tx.memberImport.findMany({ where: { shopId: shop.id, status: "queued" }, select: { jobId: true } });
    const jobIds = queued.flatMap((q) => (q.jobId ? [q.jobId] : []));
    const running = jobIds.length ? await tx.job.count({ where: { id: { in: jobIds }, status: { in: ["queued", "running"] } } }) : 0;
    if (running) throw refuse("settings.import.error.running");
    const job = await enqueueJob({ db: tx, clock: deps.clock }, { shopDomain, type: MEMBER_IMPORT_JOB, input: { importId } });
    const { count } = await tx.memberImport.updateMany({
      where: { id: importId, status: "previewed" },
      data: { status: "queued", jobId: job.id },
    });
    if (count !== 1) throw refuse("settings.import.error.started");
  });
  return importView(deps, importId);
}

/**
 * Job "member_import", input { importId }: the staged rows that matched a member, in file
 * order, STEP_ROWS per step (cursor = the last line done). A step that runs again after a
 * crash repeats nothing: points are keyed, the tier change is guarded, the rest is a plain set.
 */
export function memberImportJob(shopifyFor: ShopifyFor, transaction: TxDeps["transaction"]): JobHandler {
  return {
    async step(deps, job) {
      const { importId } = job.input as { importId: string };
      const imp = await deps.db.memberImport.findUnique({ where: { id: importId } });
      const shop = await findShop(deps.db, job.shopDomain);
      if (!imp || !shop || imp.shopId !== shop.id || imp.status !== "queued") return { cursor: null, done: 0 };

      const ready = { importId, customerId: { not: null }, error: null };
      const total = job.cursor === null ? await deps.db.memberImportRow.count({ where: ready }) : undefined;
      const rows = await deps.db.memberImportRow.findMany({
        where: { ...ready, ...(job.cursor ? { line: { gt: Number(job.cursor) } } : {}) },
        orderBy: { line: "asc" },
        take: STEP_ROWS,
      });
      const program = await currentTierProgram(deps.db, shop.id);
      const now = deps.clock();
      for (const row of rows) {
        let outcome: RowOutcome;
        let error: RowError | null = null;
        try {
          outcome = await transaction((tx) =>
            applyRow(tx, { shopId: shop.id, importId, fileName: imp.fileName, fileHash: imp.fileHash, program, at: now }, row),
          );
        } catch (e) {
          if (e instanceof InsufficientPoints) error = "below_zero";
          else if (e instanceof KembaliError && e.code === "NOT_FOUND") error = e.details?.row as RowError;
          else if (e instanceof KembaliError && e.code === "NOT_IN_PROGRAM") error = "held_out";
          else if (isUniqueViolation(e)) error = "referral_code_taken";
          else throw e;
          outcome = "failed";
        }
        await deps.db.memberImportRow.update({ where: { id: row.id }, data: { outcome, ...(error ? { error } : {}) } });
      }
      // Every member of the step, not only those whose tier moved in this run: after a crash or
      // a failed Shopify call the re-run finds their tier already moved, yet still unsynced
      // (syncTierChanges writes only changes not synced yet, so this costs nothing otherwise).
      if (rows.length) {
        await syncTierChanges(
          { ...deps, shopify: await shopifyFor(shop.domain) },
          shop.id,
          rows.map((r) => r.customerId!),
        );
      }

      if (rows.length < STEP_ROWS) {
        await transaction(async (tx) => {
          await tx.memberImport.update({ where: { id: importId }, data: { status: "applied", appliedAt: now } });
          // Who the rows named and their personal fields are no longer needed once applied; the
          // lines, outcomes and reasons stay for the page (a value that names someone goes too).
          await tx.memberImportRow.updateMany({ where: { importId }, data: FORGOTTEN_ROW });
          await tx.memberImportRow.updateMany({
            where: { importId, error: { in: [...PERSONAL_VALUE_ERRORS] } },
            data: { errorValue: null },
          });
        });
        return { cursor: null, done: rows.length, total };
      }
      return { cursor: String(rows[rows.length - 1].line), done: rows.length, total };
    },
  };
}

interface RowContext {
  shopId: string;
  importId: string;
  fileName: string;
  fileHash: string;
  program: Awaited<ReturnType<typeof currentTierProgram>>;
  at: Date;
}

type StagedRecord = {
  customerId: string | null;
  points: number | null;
  tierKey: string | null;
  birthdayMonth: number | null;
  birthdayDay: number | null;
  referralCode: string | null;
};

async function applyRow(tx: Deps["db"], ctx: RowContext, row: StagedRecord): Promise<RowOutcome> {
  const customerId = row.customerId!;
  // Touching the row first locks it (PostgreSQL), so the import total below is read after any
  // other import of this member has committed; SQLite runs one write transaction at a time.
  const { count } = await tx.customer.updateMany({ where: { id: customerId, shopId: ctx.shopId }, data: { updatedAt: ctx.at } });
  if (count !== 1) throw new KembaliError("NOT_FOUND", "The member is gone", { row: "not_found" });
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: {
      tier: true,
      birthdayMonth: true,
      birthdayDay: true,
      holdout: true,
      redactedAt: true,
      referralCode: { select: { code: true } },
    },
  });
  // Since the preview: erased by customers/redact, or (a raised share) held out. Nothing is written.
  if (customer.redactedAt) throw new KembaliError("NOT_FOUND", "The member was redacted", { row: "not_found" });
  if (customer.holdout) throw new KembaliError("NOT_FOUND", "The member is held out", { row: "held_out" });
  let changed = false;
  let already = false;

  if (row.points !== null) {
    const key = ledgerKey(ctx.fileHash, customerId);
    const existing = await tx.pointsEntry.findUnique({ where: { shopId_idempotencyKey: { shopId: ctx.shopId, idempotencyKey: key } } });
    if (existing) {
      // This import's own entry (a step run again) or the same file applied earlier.
      if (existing.sourceId === ctx.importId) changed = true;
      else already = true;
    } else {
      const sum = await tx.pointsEntry.aggregate({
        where: { shopId: ctx.shopId, customerId, sourceType: "import" },
        _sum: { points: true },
      });
      const difference = row.points - (sum._sum.points ?? 0);
      if (difference !== 0) {
        await appendEntry(
          tx,
          {
            shopId: ctx.shopId,
            customerId,
            kind: "adjust",
            points: difference,
            idempotencyKey: key,
            sourceType: "import",
            sourceId: ctx.importId,
            at: ctx.at,
            reason: `Balance carried over: ${row.points} points (${[...ctx.fileName].slice(0, 80).join("")})`,
          },
          { mayGoNegative: false },
        );
        changed = true;
      }
    }
  }
  if (already) return "already_imported";

  if (row.tierKey !== null) {
    const tier = ctx.program?.tiers.find((t) => t.key === row.tierKey);
    // The tier program changed since the preview and no longer has this tier.
    if (!tier || !ctx.program) throw new KembaliError("NOT_FOUND", "Unknown tier", { row: "unknown_tier" });
    const moved = await carryOverTier(tx, {
      shopId: ctx.shopId,
      customerId,
      tier,
      program: ctx.program,
      until: addMonths(ctx.at, TIER_FLOOR_MONTHS),
      at: ctx.at,
    });
    changed ||= moved;
  }
  if (row.birthdayMonth !== null && (row.birthdayMonth !== customer.birthdayMonth || row.birthdayDay !== customer.birthdayDay)) {
    await tx.customer.update({ where: { id: customerId }, data: { birthdayMonth: row.birthdayMonth, birthdayDay: row.birthdayDay } });
    changed = true;
  }
  if (row.referralCode !== null && customer.referralCode?.code !== row.referralCode) {
    await tx.referralCode.upsert({
      where: { customerId },
      create: { shopId: ctx.shopId, customerId, code: row.referralCode, createdAt: ctx.at },
      // The code's Shopify discount follows the new code (renamed by the background sync).
      update: { code: row.referralCode, ...RESYNC_CODE_DISCOUNT },
    });
    changed = true;
  }
  return changed ? "applied" : "unchanged";
}
