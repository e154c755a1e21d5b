// The post-purchase survey's figures for the dashboard, over answers received in [from, to)
// (SurveyResponse.answeredAt), each kind on its own scale:
// - NPS (0–10 answers only): % promoters (9–10) − % detractors (0–6), from −100 to 100, one
//   decimal; the three shares in percent, one decimal;
// - NPS by tier and by segment: the member's tier and RFM segment when they answered (stored on
//   the answer), "none" for guests and members with neither;
// - CSAT (1–5) and CES (1–7): the average score, two decimals, when that kind was asked;
// - answer rate by channel: of the paid (not cancelled) orders placed in the period, the share
//   answered by the period's end, in total and per channel that answered (so the previous
//   period is measured the same way, not with the extra days its late answers had). Every
//   paid order counts as asked (the thank-you page asks every buyer while the survey is on),
//   so a period in which the survey was off for a while reads lower than the survey really
//   does, and orders of the last days, not asked yet by the delayed channels, lower it too;
// - the trend: the same figures per calendar month (UTC) for the last 12 months.
// Read live (a few indexed queries; at most one answer per order), like the recommendation
// figures, so a new answer shows at once. The queries run unchanged on SQLite and PostgreSQL.
import { SURVEY_CHANNELS, readSurveySettings, scoreGroup, type SurveyKind } from "../surveys/settings";
import { currentTierProgram } from "../tiers";
import { monthStart, num, paidOrders, round, shopOrThrow, type AnalyticsDeps } from "./common";

export const SURVEY_TREND_MONTHS = 12;
/** The group of answers with no tier or no segment (guests, members below every tier). */
export const NO_GROUP = "none";

export interface NpsFigures {
  /** NPS answers counted. */
  responses: number;
  /** −100..100, one decimal; null without answers. */
  nps: number | null;
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
}

export interface AverageFigures {
  responses: number;
  /** Mean score, two decimals; null without answers. */
  average: number | null;
}

export interface GroupFigures extends NpsFigures {
  /** The tier key or segment, or NO_GROUP. */
  key: string;
}

export interface ChannelFigures {
  channel: string;
  /** Answers through this channel, by the period's end, to orders placed in the period. */
  answered: number;
  /** answered ÷ the period's paid orders × 100, one decimal; null without orders. */
  rate: number | null;
}

export interface SurveyFigures {
  /** Answers of every kind received in the period. */
  responses: number;
  nps: NpsFigures;
  csat: AverageFigures;
  ces: AverageFigures;
  byTier: GroupFigures[];
  bySegment: GroupFigures[];
  /** Paid orders placed in the period: the orders asked (null: not counted, nobody has answered in this shop yet). */
  paidOrders: number | null;
  /** Of those, answered through any channel by the period's end. */
  answered: number;
  answerRate: number | null;
  channels: ChannelFigures[];
}

export interface SurveyTrendPoint {
  /** "2026-05" */
  month: string;
  responses: number;
  nps: number | null;
  csat: number | null;
  ces: number | null;
}

export interface SurveyReport {
  enabled: boolean;
  /** The kind asked now (the figures hold every kind answered). */
  kind: SurveyKind;
  current: SurveyFigures;
  previous: SurveyFigures;
  trend: SurveyTrendPoint[];
  /** Tier key → the tier's name in the current tier program. */
  tierNames: Record<string, string>;
}

/** Answers of the period's paid orders, by the channel they came through. */
function answeredByChannel(db: AnalyticsDeps["db"], shopId: string, from: Date, to: Date) {
  return db.$queryRaw<Array<{ channel: string; answered: unknown }>>`
      SELECT r."channel" AS channel, CAST(COUNT(*) AS BIGINT) AS answered
      FROM "SurveyResponse" r
      JOIN "Order" o ON o."shopId" = r."shopId" AND o."shopifyOrderId" = r."shopifyOrderId"
      WHERE r."shopId" = ${shopId} AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
        AND o."orderedAt" >= ${from} AND o."orderedAt" < ${to} AND r."answeredAt" < ${to}
      GROUP BY r."channel"`;
}

/** Answers counted by kind and score (and any grouping) from a groupBy. */
export interface ScoreCount {
  kind: string;
  score: number;
  count: number;
}

const share = (part: number, whole: number | null) => (whole !== null && whole > 0 ? round((part / whole) * 100, 1) : null);

/** NPS figures of counted answers; answers of other kinds are ignored. */
export function npsOf(rows: readonly ScoreCount[]): NpsFigures {
  let responses = 0;
  let promoters = 0;
  let detractors = 0;
  for (const r of rows) {
    if (r.kind !== "nps") continue;
    responses += r.count;
    const group = scoreGroup("nps", r.score);
    if (group === "promoter") promoters += r.count;
    else if (group === "detractor") detractors += r.count;
  }
  const passives = responses - promoters - detractors;
  return {
    responses,
    nps: responses > 0 ? round(((promoters - detractors) / responses) * 100, 1) : null,
    promoters: share(promoters, responses),
    passives: share(passives, responses),
    detractors: share(detractors, responses),
  };
}

/** The average score of one kind's answers. */
export function averageOf(rows: readonly ScoreCount[], kind: SurveyKind): AverageFigures {
  let responses = 0;
  let sum = 0;
  for (const r of rows) {
    if (r.kind !== kind) continue;
    responses += r.count;
    sum += r.score * r.count;
  }
  return { responses, average: responses > 0 ? round(sum / responses, 2) : null };
}

function groupsOf(rows: ReadonlyArray<ScoreCount & { key: string | null }>): GroupFigures[] {
  const byKey = new Map<string, ScoreCount[]>();
  for (const r of rows) {
    if (r.kind !== "nps") continue;
    const key = r.key ?? NO_GROUP;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey]
    .map(([key, counts]) => ({ key, ...npsOf(counts) }))
    .sort((a, b) => b.responses - a.responses || a.key.localeCompare(b.key));
}

async function periodFigures(db: AnalyticsDeps["db"], shopId: string, from: Date, to: Date, anyAnswer: boolean): Promise<SurveyFigures> {
  // A shop nobody has answered yet (most, and every shop with the survey off) shows the empty
  // state: its answer queries would all come back empty, and counting a year of paid orders
  // for a rate nobody sees costs a large shop's home page hundreds of milliseconds.
  const [grouped, orders, answeredRows] = await Promise.all([
    anyAnswer
      ? db.surveyResponse.groupBy({
          by: ["kind", "score", "tierKey", "segment"],
          where: { shopId, answeredAt: { gte: from, lt: to } },
          _count: { _all: true },
        })
      : [],
    anyAnswer ? db.order.count({ where: { ...paidOrders(shopId), orderedAt: { gte: from, lt: to } } }) : null,
    anyAnswer ? answeredByChannel(db, shopId, from, to) : [],
  ]);
  const counts = grouped.map((g) => ({ kind: g.kind, score: g.score, count: g._count._all, tierKey: g.tierKey, segment: g.segment }));
  const answeredBy = new Map(answeredRows.map((r) => [r.channel, num(r.answered)]));
  const answered = [...answeredBy.values()].reduce((a, b) => a + b, 0);
  const known = SURVEY_CHANNELS as readonly string[];
  const channelNames = [...SURVEY_CHANNELS, ...[...answeredBy.keys()].filter((c) => !known.includes(c)).sort()];
  return {
    responses: counts.reduce((a, c) => a + c.count, 0),
    nps: npsOf(counts),
    csat: averageOf(counts, "csat"),
    ces: averageOf(counts, "ces"),
    byTier: groupsOf(counts.map((c) => ({ ...c, key: c.tierKey }))),
    bySegment: groupsOf(counts.map((c) => ({ ...c, key: c.segment }))),
    paidOrders: orders,
    answered,
    answerRate: share(answered, orders),
    channels: channelNames.map((channel) => {
      const n = answeredBy.get(channel) ?? 0;
      return { channel, answered: n, rate: share(n, orders) };
    }),
  };
}

function emptyMonth(start: Date): SurveyTrendPoint {
  return { month: start.toISOString().slice(0, 7), responses: 0, nps: null, csat: null, ces: null };
}

async function monthFigures(db: AnalyticsDeps["db"], shopId: string, start: Date, end: Date): Promise<SurveyTrendPoint> {
  const grouped = await db.surveyResponse.groupBy({
    by: ["kind", "score"],
    where: { shopId, answeredAt: { gte: start, lt: end } },
    _count: { _all: true },
  });
  const counts = grouped.map((g) => ({ kind: g.kind, score: g.score, count: g._count._all }));
  return {
    month: start.toISOString().slice(0, 7),
    responses: counts.reduce((a, c) => a + c.count, 0),
    nps: npsOf(counts).nps,
    csat: averageOf(counts, "csat").average,
    ces: averageOf(counts, "ces").average,
  };
}

/**
 * The survey figures for [from, to), the period of the same length before it, and the monthly
 * trend of the SURVEY_TREND_MONTHS months up to `to` (the current month runs to `to`).
 */
export async function surveyReport(deps: AnalyticsDeps, input: { shopDomain: string; from: Date; to: Date }): Promise<SurveyReport> {
  const { db } = deps;
  const { from, to } = input;
  if (!(from.getTime() < to.getTime())) throw new RangeError("surveyReport needs from < to");
  const shop = await shopOrThrow(db, input.shopDomain);
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const months = Array.from({ length: SURVEY_TREND_MONTHS }, (_, i) => monthStart(to, i - SURVEY_TREND_MONTHS + 1));
  const anyAnswer = (await db.surveyResponse.findFirst({ where: { shopId: shop.id }, select: { id: true } })) !== null;
  const [row, tiers, current, previous, trend] = await Promise.all([
    db.shop.findUnique({ where: { id: shop.id }, select: { survey: true } }),
    currentTierProgram(db, shop.id),
    periodFigures(db, shop.id, from, to, anyAnswer),
    periodFigures(db, shop.id, previousFrom, from, anyAnswer),
    Promise.all(
      months.map((start) => {
        const next = monthStart(start, 1);
        const end = next.getTime() < to.getTime() ? next : to;
        return anyAnswer ? monthFigures(db, shop.id, start, end) : emptyMonth(start);
      }),
    ),
  ]);
  const settings = readSurveySettings(row?.survey);
  const tierNames: Record<string, string> = {};
  for (const tier of tiers?.tiers ?? []) if (tier.key) tierNames[tier.key] = tier.name;
  return { enabled: settings.enabled, kind: settings.kind, current, previous, trend, tierNames };
}

/** Whether there is anything to show: an answer in the period, the one before or the trend. */
export function hasSurveyAnswers(report: SurveyReport): boolean {
  return report.current.responses + report.previous.responses + report.trend.reduce((a, m) => a + m.responses, 0) > 0;
}
