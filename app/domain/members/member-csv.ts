// Member CSV files, the pure part: reading another loyalty app's export (Smile, LoyaltyLion,
// Yotpo, Rivo, Joy, or a hand-made sheet) into rows Kembali understands, with a reason for
// every row it cannot use; and writing cells of Kembali's own export safely.
import { parse } from "csv-parse/sync";
import { normaliseCode } from "../referrals/rules";

/** The upload limit; a bigger file is refused before it is read. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/**
 * At most this many data rows per file. The upload's preview stages every row in one request:
 * 20,000 rows took 11 s (SQLite) and 15 s (PostgreSQL) on a busy 2-core machine, so bigger
 * files are split (Yotpo's own import stops at 5,000).
 */
export const MAX_ROWS = 20_000;
/** The largest balance a row may carry (the ledger's points are 32-bit integers). */
export const MAX_POINTS = 100_000_000;

export type MemberField = "shopifyCustomerId" | "email" | "points" | "tier" | "birthday" | "referralCode";

/**
 * Header names per field, compared after lower-casing and turning every run of
 * non-alphanumerics into one space. The first listed that a file has wins, so "points balance"
 * is preferred over a bare "points" or "balance" when a file has both.
 */
export const HEADER_NAMES: Record<MemberField, readonly string[]> = {
  // LoyaltyLion calls the platform's customer id merchant_id; Rivo "Shopify Customer ID".
  // A bare "id" is left out: in Smile's export it is Smile's own id.
  shopifyCustomerId: ["shopify customer id", "customer id", "customerid", "shopify id", "merchant id"],
  email: ["email", "email address", "customer email", "shopify customer email", "e mail"],
  points: [
    "points balance",
    "current points balance",
    "point balance",
    "points approved",
    "approved points",
    "available points",
    "loyalty points",
    "points",
    "balance",
  ],
  tier: ["vip tier", "vip tier name", "tier name", "tier", "current tier", "loyalty tier", "membership type"],
  birthday: ["birthday", "birthdate", "birth date", "date of birth", "dob", "birthday mm dd", "birthday mm dd yyyy"],
  referralCode: ["referral code", "ref code"],
};

export const normaliseHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** Why a row is skipped. The admin shows each with the row's line and the value at fault. */
export type RowError =
  | "no_customer" // neither a customer id nor an email
  | "bad_customer_id"
  | "bad_email"
  | "bad_points" // not a whole number of points, 0 or more
  | "bad_birthday"
  | "bad_referral_code"
  | "duplicate" // the same customer appears on an earlier line
  | "unknown_tier" // not one of the current tier program's tiers (domain check)
  | "not_found" // no such customer in Kembali (domain check)
  | "referral_code_taken" // another member already has this code (domain check)
  | "below_zero" // the member spent imported points a smaller balance would take back (domain check)
  | "held_out"; // the customer is in the holdout group, which the program leaves out (domain check, decision 010)

export interface MemberCsvRow {
  /** The line in the file where the row starts (the header is line 1). */
  line: number;
  shopifyCustomerId: string | null;
  /** Lower case. */
  email: string | null;
  points: number | null;
  /** As written in the file; matched against tier names by the domain. */
  tier: string | null;
  birthday: { month: number; day: number } | null;
  referralCode: string | null;
  error: RowError | null;
  errorValue: string | null;
}

export interface MemberCsv {
  /** Which column each recognised field came from (the file's own header). */
  columns: Partial<Record<MemberField, string>>;
  rows: MemberCsvRow[];
}

/** The file as a whole cannot be read; nothing is imported. */
export type FileError = "empty" | "too_large" | "unreadable" | "no_identifier_column" | "nothing_to_import" | "too_many_rows";

export class MemberCsvError extends Error {
  constructor(
    readonly reason: FileError,
    readonly detail?: string,
  ) {
    super(`Member CSV: ${reason}${detail ? ` (${detail})` : ""}`);
    this.name = "MemberCsvError";
  }
}

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;
const SHOPIFY_ID = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/;

/** Comma or semicolon (spreadsheets in many locales save with semicolons): whichever the header uses more. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r|\n|$/));
  const count = (c: string) => header.split(c).length - 1;
  return count(";") > count(",") ? ";" : count("\t") > count(",") ? "\t" : ",";
}

function parsePoints(raw: string): number | null {
  // Whole points only: "1,200" or "1.200" are refused rather than guessed (thousands or decimals?).
  if (!/^\+?\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n <= MAX_POINTS ? n : null;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD (Smile writes year 1004 when it has no year), MM/DD or MM/DD/YYYY (Yotpo, Joy). */
export function parseBirthday(raw: string): { month: number; day: number } | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(raw);
  const us = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/.exec(raw);
  const [month, day] = iso ? [Number(iso[2]), Number(iso[3])] : us ? [Number(us[1]), Number(us[2])] : [0, 0];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return null;
  return { month, day };
}

/** The columns Kembali reads, by header; other columns are ignored. */
export function recogniseColumns(header: string[]): Partial<Record<MemberField, number>> {
  const names = header.map(normaliseHeader);
  const found: Partial<Record<MemberField, number>> = {};
  for (const field of Object.keys(HEADER_NAMES) as MemberField[]) {
    for (const candidate of HEADER_NAMES[field]) {
      const index = names.indexOf(candidate);
      if (index >= 0) {
        found[field] = index;
        break;
      }
    }
  }
  return found;
}

/**
 * Reads a member CSV. Throws MemberCsvError when the file as a whole is unusable; otherwise
 * every data row comes back, with `error` set on those that cannot be imported. Duplicates
 * (the same customer id or email as an earlier line) are errors on the later lines.
 */
export function parseMemberCsv(input: string | Uint8Array): MemberCsv {
  const bytes = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  if (bytes > MAX_FILE_BYTES) throw new MemberCsvError("too_large");
  const text = typeof input === "string" ? input : new TextDecoder("utf-8").decode(input);
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new MemberCsvError("empty");

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, "")),
      record_delimiter: ["\r\n", "\n", "\r"],
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new MemberCsvError("unreadable", error instanceof Error ? error.message.slice(0, 200) : undefined);
  }
  if (records.length === 0) throw new MemberCsvError("empty");
  const [head, ...data] = records;
  if (data.length > MAX_ROWS) throw new MemberCsvError("too_many_rows", String(data.length));

  const index = recogniseColumns(head.record);
  if (index.shopifyCustomerId === undefined && index.email === undefined) throw new MemberCsvError("no_identifier_column");
  if (index.points === undefined && index.tier === undefined && index.birthday === undefined && index.referralCode === undefined) {
    throw new MemberCsvError("nothing_to_import");
  }
  const columns: MemberCsv["columns"] = {};
  for (const [field, i] of Object.entries(index) as Array<[MemberField, number]>) columns[field] = head.record[i];

  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  const rows = data.map(({ record, info }): MemberCsvRow => {
    // info.lines is where the record ends; a quoted value may span lines, and blank lines are skipped.
    const line = info.lines - countNewlines(record);
    const cell = (field: MemberField) => {
      const i = index[field];
      const v = i === undefined ? "" : (record[i] ?? "").trim();
      return v === "" ? null : v;
    };
    const row: MemberCsvRow = {
      line,
      shopifyCustomerId: null,
      email: null,
      points: null,
      tier: cell("tier"),
      birthday: null,
      referralCode: null,
      error: null,
      errorValue: null,
    };
    const fail = (error: RowError, value: string | null) => {
      row.error ??= error;
      row.errorValue ??= value === null ? null : value.slice(0, 100);
    };

    const id = cell("shopifyCustomerId");
    if (id !== null) {
      const m = SHOPIFY_ID.exec(id);
      if (m) row.shopifyCustomerId = m[1];
      else fail("bad_customer_id", id);
    }
    const email = cell("email");
    if (email !== null) {
      if (EMAIL.test(email)) row.email = email.toLowerCase();
      else fail("bad_email", email);
    }
    if (!row.error && row.shopifyCustomerId === null && row.email === null) fail("no_customer", null);

    const points = cell("points");
    if (points !== null) {
      row.points = parsePoints(points);
      if (row.points === null) fail("bad_points", points);
    }
    const birthday = cell("birthday");
    if (birthday !== null) {
      row.birthday = parseBirthday(birthday);
      if (!row.birthday) fail("bad_birthday", birthday);
    }
    const code = cell("referralCode");
    if (code !== null) {
      row.referralCode = normaliseCode(code);
      if (!row.referralCode) fail("bad_referral_code", code);
    }

    if (!row.error) {
      const earlier =
        (row.shopifyCustomerId !== null ? seenIds.get(row.shopifyCustomerId) : undefined) ??
        (row.email !== null ? seenEmails.get(row.email) : undefined);
      if (earlier !== undefined) fail("duplicate", String(earlier));
      else {
        if (row.shopifyCustomerId !== null) seenIds.set(row.shopifyCustomerId, line);
        if (row.email !== null) seenEmails.set(row.email, line);
      }
    }
    return row;
  });
  return { columns, rows };
}

function countNewlines(record: string[]): number {
  let n = 0;
  for (const value of record) for (const ch of value) if (ch === "\n") n++;
  return n;
}

// ---------------------------------------------------------------------------------------
// Writing

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (starting with = + - @, or a
 * tab or carriage return) gets a leading apostrophe, so a customer named "=HYPERLINK(…)" stays
 * text; numbers are written as they are.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: Array<string | number | null | undefined>) => `${cells.map(csvCell).join(",")}\r\n`;
