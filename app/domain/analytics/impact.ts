// Honest impact: what the program changes, measured against the holdout group (customers
// kept out of it at random, holdout.ts), not against "orders that used a code".
//
// Definitions, for a period [from, to) (purchases as in retention.ts: paid, not cancelled,
// dated by orderedAt, amounts are subtotalMinor gross of refunds; guests are in no group):
// - Each group counts its customers with ≥ 1 purchase in the period. Repeat-purchase rate =
//   those with ≥ 2 ÷ those with ≥ 1; revenue per customer = their revenue in the period ÷
//   their count. The same figures as the dashboard's, per group.
// - holdout: customers kept out of the program now (Customer.holdout).
// - members: the other customers with at least one points entry before `to` (they earned,
//   spent or were adjusted: the program touched them).
// - non-members: the other customers with no points entry before `to`: orders imported
//   without points, excluded by a customer tag, below the earning rate, seen before the app.
// - The comparison (members − holdout) is between the customers assigned at random: first
//   seen while a holdout was on (holdoutBucket set), in the program or held out, never
//   released. Its members side counts every such customer in the program, whether they
//   earned yet or not: keeping only those who earned would pick the ones who bought more
//   (docs/decisions/010-holdout-groups.md).
// - Differences with 95 % intervals: repeat rate by Newcombe's hybrid score interval, revenue
//   per customer by Welch's t interval (stats.ts). No verdict of an effect unless both groups
//   have at least MIN_GROUP_CUSTOMERS customers and the interval excludes 0.
import type { MessageKey } from "../../i18n";
import { num, queryParts, round, shopOrThrow, type AnalyticsDeps } from "./common";
import { meanDifference, proportionDifference, summarise } from "./stats";

/** Fewer customers than this in either group and the comparison claims nothing. */
export const MIN_GROUP_CUSTOMERS = 100;

export interface GroupFigures {
  /** Customers with ≥ 1 purchase in the period. */
  customers: number;
  /** Of those, with ≥ 2. */
  repeatCustomers: number;
  /** Percent, 2 decimals; null without customers. */
  repeatPurchaseRate: number | null;
  revenueMinor: number;
  /** Minor units, rounded; null without customers. */
  revenuePerCustomerMinor: number | null;
}

export type MetricVerdict = "higher" | "lower" | "no_clear_difference" | "too_few_customers";

export interface RateDifference {
  /** Members' rate − the holdout's, in percentage points (2 decimals), with its 95 % interval. */
  differencePoints: number;
  lowPoints: number;
  highPoints: number;
  verdict: MetricVerdict;
}

export interface RevenueDifference {
  /** Members' revenue per customer − the holdout's, minor units (rounded), with its 95 % interval. */
  differenceMinor: number;
  lowMinor: number;
  highMinor: number;
  verdict: MetricVerdict;
}

export type ImpactVerdict = "no_holdout" | "too_few_customers" | "no_clear_effect" | "effect";

export interface ImpactReport {
  currency: string;
  from: string;
  to: string;
  /** The holdout share set now (percent). */
  holdoutShare: number;
  minimumGroupCustomers: number;
  groups: { members: GroupFigures; nonMembers: GroupFigures; holdout: GroupFigures };
  comparison: {
    /** Customers assigned to the program at random (first seen while a holdout was on). */
    members: GroupFigures;
    holdout: GroupFigures;
    /** null when a group has fewer than 2 customers (no interval can be computed). */
    repeatPurchaseRate: RateDifference | null;
    revenuePerCustomer: RevenueDifference | null;
    verdict: ImpactVerdict;
  };
}

/** One aggregated row: customers of one kind, with their period counts and revenue. */
interface Cell {
  heldOut: boolean;
  randomised: boolean;
  member: boolean;
  customers: number;
  repeatCustomers: number;
  revenue: number;
  /** Σ revenue² per customer (floating point: it overflows BIGINT for large shops). */
  squares: number;
}

interface Totals {
  customers: number;
  repeatCustomers: number;
  revenue: number;
  squares: number;
}

export async function impactReport(deps: AnalyticsDeps, input: { shopDomain: string; from: Date; to: Date }): Promise<ImpactReport> {
  const { from, to } = input;
  if (!(to.getTime() > from.getTime())) throw new RangeError("The period must end after it starts");
  const shop = await shopOrThrow(deps.db, input.shopDomain);
  const cells = await impactCells(deps, shop.id, from, to);
  return {
    currency: shop.currency,
    from: from.toISOString(),
    to: to.toISOString(),
    holdoutShare: shop.settings.holdout.share,
    minimumGroupCustomers: MIN_GROUP_CUSTOMERS,
    groups: {
      members: figures(sum(cells, (c) => !c.heldOut && c.member)),
      nonMembers: figures(sum(cells, (c) => !c.heldOut && !c.member)),
      holdout: figures(sum(cells, (c) => c.heldOut)),
    },
    comparison: compare(
      sum(cells, (c) => !c.heldOut && c.randomised),
      sum(cells, (c) => c.heldOut && c.randomised),
      shop.settings.holdout.share,
    ),
  };
}

/**
 * One pass over the period's purchases grouped per customer (index shopId, orderedAt), joined
 * to the customer, with an indexed EXISTS on the ledger (shopId, customerId, createdAt).
 */
async function impactCells(deps: AnalyticsDeps, shopId: string, from: Date, to: Date): Promise<Cell[]> {
  const rows = await queryParts<Array<Record<string, unknown>>>(
    deps.db,
    [
      `SELECT x.held_out AS "heldOut", x.randomised AS "randomised", x.member AS "member",
        CAST(COUNT(*) AS BIGINT) AS "customers",
        CAST(SUM(CASE WHEN x.n >= 2 THEN 1 ELSE 0 END) AS BIGINT) AS "repeatCustomers",
        CAST(SUM(x.rev) AS BIGINT) AS "revenue",
        SUM(CAST(x.rev AS DOUBLE PRECISION) * CAST(x.rev AS DOUBLE PRECISION)) AS "squares"
      FROM (
        SELECT
          CASE WHEN c."holdout" THEN 1 ELSE 0 END AS held_out,
          CASE WHEN c."holdoutBucket" IS NOT NULL AND c."holdoutReleasedAt" IS NULL THEN 1 ELSE 0 END AS randomised,
          CASE WHEN EXISTS (
            SELECT 1 FROM "PointsEntry" e WHERE e."shopId" = `,
      ` AND e."customerId" = c."id" AND e."createdAt" < `,
      `
          ) THEN 1 ELSE 0 END AS member,
          t.n AS n, t.rev AS rev
        FROM (
          SELECT o."customerId" AS cid, COUNT(*) AS n, SUM(o."subtotalMinor") AS rev
          FROM "Order" o
          WHERE o."shopId" = `,
      ` AND o."customerId" IS NOT NULL AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
            AND o."orderedAt" >= `,
      ` AND o."orderedAt" < `,
      `
          GROUP BY o."customerId"
        ) t
        JOIN "Customer" c ON c."id" = t.cid AND c."shopId" = `,
      `
      ) x
      GROUP BY x.held_out, x.randomised, x.member`,
    ],
    [shopId, to, shopId, from, to, shopId],
  );
  return rows.map((r) => ({
    heldOut: num(r.heldOut) === 1,
    randomised: num(r.randomised) === 1,
    member: num(r.member) === 1,
    customers: num(r.customers),
    repeatCustomers: num(r.repeatCustomers),
    revenue: num(r.revenue),
    squares: num(r.squares),
  }));
}

function sum(cells: Cell[], keep: (c: Cell) => boolean): Totals {
  const t: Totals = { customers: 0, repeatCustomers: 0, revenue: 0, squares: 0 };
  for (const c of cells.filter(keep)) {
    t.customers += c.customers;
    t.repeatCustomers += c.repeatCustomers;
    t.revenue += c.revenue;
    t.squares += c.squares;
  }
  return t;
}

function figures(t: Totals): GroupFigures {
  return {
    customers: t.customers,
    repeatCustomers: t.repeatCustomers,
    repeatPurchaseRate: t.customers > 0 ? round((t.repeatCustomers / t.customers) * 100) : null,
    revenueMinor: t.revenue,
    revenuePerCustomerMinor: t.customers > 0 ? Math.round(t.revenue / t.customers) : null,
  };
}

function metricVerdict(low: number, high: number, enough: boolean): MetricVerdict {
  if (!enough) return "too_few_customers";
  if (low > 0) return "higher";
  if (high < 0) return "lower";
  return "no_clear_difference";
}

/** members − holdout, with the verdicts (exported for unit tests on hand-made totals). */
export function compare(members: Totals, holdout: Totals, share: number): ImpactReport["comparison"] {
  const enough = members.customers >= MIN_GROUP_CUSTOMERS && holdout.customers >= MIN_GROUP_CUSTOMERS;
  const computable = members.customers >= 2 && holdout.customers >= 2;
  let repeatPurchaseRate: RateDifference | null = null;
  let revenuePerCustomer: RevenueDifference | null = null;
  if (computable) {
    const rate = proportionDifference(members.repeatCustomers, members.customers, holdout.repeatCustomers, holdout.customers);
    repeatPurchaseRate = {
      differencePoints: round(rate.estimate * 100),
      lowPoints: round(rate.low * 100),
      highPoints: round(rate.high * 100),
      verdict: metricVerdict(rate.low, rate.high, enough),
    };
    const revenue = meanDifference(
      summarise(members.customers, members.revenue, members.squares),
      summarise(holdout.customers, holdout.revenue, holdout.squares),
    );
    revenuePerCustomer = {
      differenceMinor: Math.round(revenue.estimate),
      lowMinor: Math.round(revenue.low),
      highMinor: Math.round(revenue.high),
      verdict: metricVerdict(revenue.low, revenue.high, enough),
    };
  }
  let verdict: ImpactVerdict;
  if (share === 0 && holdout.customers === 0) verdict = "no_holdout";
  else if (!enough) verdict = "too_few_customers";
  else if (repeatPurchaseRate?.verdict === "no_clear_difference" && revenuePerCustomer?.verdict === "no_clear_difference") {
    verdict = "no_clear_effect";
  } else verdict = "effect";
  return { members: figures(members), holdout: figures(holdout), repeatPurchaseRate, revenuePerCustomer, verdict };
}

export interface ImpactMessage {
  key: MessageKey;
  vars: Record<string, string | number>;
}

/**
 * The verdict in plain language, as admin messages (en and id): the overall verdict, then one
 * line per measure when there is something to say. `money` formats minor units for display.
 */
export function impactMessages(report: ImpactReport, money: (minor: number) => string): ImpactMessage[] {
  const { comparison: c } = report;
  const out: ImpactMessage[] = [
    {
      key: `impact.verdict.${c.verdict}`,
      vars: { members: c.members.customers, holdout: c.holdout.customers, minimum: report.minimumGroupCustomers },
    },
  ];
  if (c.verdict === "no_holdout" || c.verdict === "too_few_customers") return out;
  if (c.repeatPurchaseRate) {
    const r = c.repeatPurchaseRate;
    out.push({
      key: `impact.repeatRate.${r.verdict as Exclude<MetricVerdict, "too_few_customers">}`,
      vars: { difference: Math.abs(r.differencePoints), estimate: r.differencePoints, low: r.lowPoints, high: r.highPoints },
    });
  }
  if (c.revenuePerCustomer) {
    const r = c.revenuePerCustomer;
    out.push({
      key: `impact.revenue.${r.verdict as Exclude<MetricVerdict, "too_few_customers">}`,
      vars: {
        difference: money(Math.abs(r.differenceMinor)),
        estimate: money(r.differenceMinor),
        low: money(r.lowMinor),
        high: money(r.highMinor),
      },
    });
  }
  return out;
}
