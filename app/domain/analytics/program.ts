// Loyalty program figures from the points ledger, for entries created in [from, to):
// - issued: points of earn entries (orders, bonuses, referrals, stamps), gross of reversals;
// - reversed: earned points taken back by refunds, cancellations and reversed referrals;
// - redeemed: points spent on rewards minus spends given back (failed or expired-unused
//   rewards are reverse entries with sourceType "redemption");
// - expired: points removed by expiry;
// - redemption rate: redeemed ÷ issued × 100.
// Liability: every customer's balance + pending points now, valued at the program's
// redemption.pointValue (minor units of the shop currency per point).
// Referral funnel in the period: shared (codes created + email invites), clicked (link
// visits), ordered (attributed friend orders), then by status.
import { KembaliError } from "../errors";
import { readSettings } from "../earning/program";
import { num, percent, type AnalyticsDeps } from "./common";

export interface ProgramReport {
  currency: string;
  pointsIssued: number;
  pointsReversed: number;
  pointsRedeemed: number;
  pointsExpired: number;
  redemptionRate: number | null;
  outstandingPoints: number;
  pointValueMinor: number;
  liabilityMinor: number;
  referrals: {
    shared: number;
    clicked: number;
    ordered: number;
    rewarded: number;
    rejected: number;
    byStatus: Record<string, number>;
  };
}

const ORDER_REVERSALS = ["refund", "cancellation", "referral"];

export async function programReport(deps: AnalyticsDeps, input: { shopDomain: string; from: Date; to: Date }): Promise<ProgramReport> {
  const { db } = deps;
  const row = await db.shop.findUnique({ where: { domain: input.shopDomain }, select: { id: true, currency: true, settings: true } });
  if (!row) throw new KembaliError("NOT_FOUND", `Shop ${input.shopDomain} is not installed`);
  const settings = readSettings(row.settings, row.currency);
  const shopId = row.id;
  const createdAt = { gte: input.from, lt: input.to };

  const [byKind, returnedSpends, reversed, balances, codes, invites, visits, referrals] = await Promise.all([
    db.pointsEntry.groupBy({
      by: ["kind"],
      where: { shopId, createdAt, kind: { in: ["earn", "spend", "expire"] } },
      _sum: { points: true },
    }),
    db.pointsEntry.aggregate({ where: { shopId, createdAt, kind: "reverse", sourceType: "redemption" }, _sum: { points: true } }),
    db.pointsEntry.aggregate({
      where: { shopId, createdAt, kind: "reverse", sourceType: { in: ORDER_REVERSALS } },
      _sum: { points: true },
    }),
    db.customer.aggregate({ where: { shopId }, _sum: { balance: true, pendingPoints: true } }),
    db.referralCode.count({ where: { shopId, createdAt } }),
    db.referralInvite.count({ where: { shopId, createdAt } }),
    db.referralVisit.count({ where: { shopId, createdAt } }),
    db.referral.groupBy({ by: ["status"], where: { shopId, createdAt }, _count: { _all: true } }),
  ]);

  const sumOf = (kind: string) => num(byKind.find((r) => r.kind === kind)?._sum.points);
  const issued = sumOf("earn");
  const redeemed = -sumOf("spend") - num(returnedSpends._sum.points);
  const outstanding = num(balances._sum.balance) + num(balances._sum.pendingPoints);
  const pointValue = settings.redemption.pointValue;
  const byStatus: Record<string, number> = {};
  for (const r of referrals) byStatus[r.status] = r._count._all;
  const ordered = Object.values(byStatus).reduce((a, b) => a + b, 0);

  return {
    currency: row.currency,
    pointsIssued: issued,
    pointsReversed: -num(reversed._sum.points),
    pointsRedeemed: redeemed,
    pointsExpired: -sumOf("expire"),
    redemptionRate: percent(redeemed, issued),
    outstandingPoints: outstanding,
    pointValueMinor: pointValue,
    liabilityMinor: outstanding * pointValue,
    referrals: {
      shared: codes + invites,
      clicked: visits,
      ordered,
      rewarded: byStatus.rewarded ?? 0,
      rejected: byStatus.rejected ?? 0,
      byStatus,
    },
  };
}
