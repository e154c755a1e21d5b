import type { Tx } from "../../db-types";
import { defaultSettings, parseSettings, readSettings, type ProgramSettings } from "../earning/program";
import { parseMoney } from "../../../common/money";
import { KembaliError } from "../errors";
import { resyncCodeDiscounts } from "../referrals/discounts";
import { programChanged } from "./appearance";

export interface ShopRecord {
  id: string;
  domain: string;
  currency: string;
  settings: ProgramSettings;
  /** Orders paid before this are imported history, not live (no points_earned message). */
  installedAt: Date;
  /**
   * Raised by database triggers in the same transaction as every write to the shop's settings,
   * currency, rewards and tier programs: what was read under one version is current while it holds.
   */
  stateVersion: number;
}

/** The columns a ShopRecord is made of: the shop's other columns are many and not needed here. */
const RECORD = { id: true, domain: true, currency: true, settings: true, installedAt: true, stateVersion: true } as const;

function toRecord(row: {
  id: string;
  domain: string;
  currency: string;
  settings: unknown;
  installedAt: Date;
  stateVersion: number;
}): ShopRecord {
  return {
    id: row.id,
    domain: row.domain,
    currency: row.currency,
    settings: readSettings(row.settings, row.currency),
    installedAt: row.installedAt,
    stateVersion: row.stateVersion,
  };
}

/** A shop's permanent myshopify domain (lower case, as Shopify sends it). */
export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function assertShopDomain(domain: string): void {
  if (!SHOP_DOMAIN.test(domain)) throw new KembaliError("BAD_INPUT", `Not a shop domain: ${domain}`);
}

/** The shop's row, created with the default program on first contact. */
export async function ensureShop(db: Tx, domain: string, currency = "USD"): Promise<ShopRecord> {
  assertShopDomain(domain);
  const found = await db.shop.findUnique({ where: { domain }, select: RECORD });
  if (found) return toRecord(found);
  // First contact, maybe on several app servers at once (a new shop's first webhooks): a
  // non-empty `update` makes this the database's own upsert (INSERT ... ON CONFLICT), which
  // waits for the other insert instead of failing on the unique domain. It changes nothing.
  const row = await db.shop.upsert({
    where: { domain },
    create: { domain, currency, settings: defaultSettings(currency) },
    update: { domain },
    select: RECORD,
  });
  return toRecord(row);
}

export async function findShop(db: Tx, domain: string): Promise<ShopRecord | null> {
  const row = await db.shop.findUnique({ where: { domain }, select: RECORD });
  return row && toRecord(row);
}

/** Stores the settings; a new friend reward (or referrals turned on or off) also resyncs every member's code discount. */
export async function updateProgramSettings(db: Tx, domain: string, settings: ProgramSettings): Promise<void> {
  const { count } = await db.shop.updateMany({ where: { domain }, data: { settings } });
  if (count !== 1) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  await resyncCodeDiscounts(db, domain, settings);
  // The recommendation blocks show the points a product earns from the appearance metafield.
  await programChanged(db, domain);
}

/** The program page's earning form: whole-unit amounts as the merchant types them. */
export async function saveEarningRate(db: Tx, domain: string, form: { points: string; perAmount: string }): Promise<ProgramSettings> {
  const shop = await findShop(db, domain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  const fields: Record<string, string> = {};
  const points = /^\d+$/.test(form.points.trim()) ? Number(form.points.trim()) : NaN;
  if (!Number.isSafeInteger(points) || points > 1_000_000) fields.points = "program.error.points";
  let perAmount = NaN;
  try {
    perAmount = parseMoney(form.perAmount.replace(/\s/g, ""), shop.currency).amount;
  } catch {
    // reported below
  }
  if (!(perAmount > 0)) fields.perAmount = "program.error.perAmount";
  if (Object.keys(fields).length) throw new KembaliError("BAD_INPUT", "Earning rate is invalid", { fields });
  const settings = parseSettings({ ...shop.settings, earning: { ...shop.settings.earning, points, perAmount } });
  await updateProgramSettings(db, domain, settings);
  return settings;
}

/** A time zone the runtime knows (IANA name, e.g. "Asia/Jakarta"), else UTC. */
export function validTimezone(name: string | null | undefined): string {
  if (!name || name.length > 64) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return name;
  } catch {
    return "UTC";
  }
}

/**
 * After OAuth: the shop's row with its real name, currency and time zone (a reinstall keeps its
 * data and takes the name and time zone Shopify has now; an unknown zone is kept as UTC).
 */
export async function installShop(
  db: Tx,
  domain: string,
  info: { name: string; currencyCode: string; ianaTimezone?: string | null },
  now: Date,
) {
  assertShopDomain(domain);
  const timezone = validTimezone(info.ianaTimezone);
  await db.shop.upsert({
    where: { domain },
    create: {
      domain,
      name: info.name,
      currency: info.currencyCode,
      settings: defaultSettings(info.currencyCode),
      installedAt: now,
      timezone,
    },
    update: { name: info.name, uninstalledAt: null, timezone },
  });
}
