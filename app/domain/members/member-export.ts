// The shop's members as CSV (Settings → Export), produced a page at a time so a shop with
// 100,000 members never holds them all in memory. Personal fields of a redacted customer are
// empty; every text cell is escaped against spreadsheet formulas (csvCell).
import type { Deps } from "../deps";
import { findShop } from "../shop/shops";
import { currentTierProgram } from "../tiers";
import { csvLine } from "./member-csv";

const PAGE = 1000;

/**
 * Column headers. Read back by the import, the id and email match the member and the tier and
 * referral code are importable; the balance columns are named so that the import does NOT read
 * them as points carried over from another app: they are Kembali's own points, and carrying
 * them over would count them twice (decision 007).
 */
export const EXPORT_HEADER = [
  "Shopify customer ID",
  "Email",
  "First name",
  "Last name",
  "Kembali balance",
  "Kembali pending",
  "VIP tier",
  "Referral code",
  "Joined",
  "Last activity",
] as const;

/** The CSV in pieces: a byte-order mark and the header, then one piece per page of members. */
export async function* memberCsvChunks(deps: Pick<Deps, "db">, shopDomain: string): AsyncGenerator<string> {
  const shop = await findShop(deps.db, shopDomain);
  // A UTF-8 BOM so spreadsheet programs read accented names correctly.
  yield `\uFEFF${csvLine([...EXPORT_HEADER])}`;
  if (!shop) return;
  const program = await currentTierProgram(deps.db, shop.id);
  const tierName = new Map((program?.tiers ?? []).map((t) => [t.key, t.name]));
  for (let cursor: string | null = null; ;) {
    const page: Array<{
      id: string;
      shopifyCustomerId: string;
      email: string | null;
      firstName: string | null;
      lastName: string | null;
      balance: number;
      pendingPoints: number;
      tier: string | null;
      redactedAt: Date | null;
      createdAt: Date;
      lastActivityAt: Date | null;
      referralCode: { code: string } | null;
    }> = await deps.db.customer.findMany({
      where: { shopId: shop.id },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true,
        shopifyCustomerId: true,
        email: true,
        firstName: true,
        lastName: true,
        balance: true,
        pendingPoints: true,
        tier: true,
        redactedAt: true,
        createdAt: true,
        lastActivityAt: true,
        referralCode: { select: { code: true } },
      },
    });
    if (page.length === 0) return;
    let out = "";
    for (const c of page) {
      const personal = c.redactedAt === null;
      out += csvLine([
        c.shopifyCustomerId,
        personal ? c.email : null,
        personal ? c.firstName : null,
        personal ? c.lastName : null,
        c.balance,
        c.pendingPoints,
        c.tier ? (tierName.get(c.tier) ?? c.tier) : null,
        c.referralCode?.code ?? null,
        c.createdAt.toISOString(),
        c.lastActivityAt?.toISOString() ?? null,
      ]);
    }
    yield out;
    if (page.length < PAGE) return;
    cursor = page[page.length - 1].id;
  }
}

/** A file name for the download: kembali-members-<shop>-<date>.csv. */
export function exportFileName(shopDomain: string, now: Date): string {
  return `kembali-members-${shopDomain.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "")}-${now.toISOString().slice(0, 10)}.csv`;
}
