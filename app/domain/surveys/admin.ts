// What the merchant does with survey answers on the Surveys page: the responses with filters
// (a page at a time, or all of them as CSV), and the detractor queue (send an apology reward in
// one click, or mark an alert handled). Every query is scoped to the shop. A comment is the
// shopper's text: returned as a string, never as markup.
import { z } from "zod";
import type { Deps, TxDeps } from "../deps";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { findShop } from "../shop/shops";
import { parseInput } from "../validation";
import { currentTierProgram } from "../tiers";
import { csvLine } from "../members/member-csv";
import { issueReward, rewardCode } from "../rewards/redemption";
import { scoreGroup, SCALES, SURVEY_CHANNELS, SURVEY_KINDS, type SurveyChannel, type SurveyKind } from "./settings";

export const SCORE_GROUPS = ["detractor", "passive", "promoter"] as const;
export type ScoreGroup = (typeof SCORE_GROUPS)[number];

export const RESPONSES_PAGE_SIZE = 25;
/** The CSV stops at this many rows (newest first); narrow the filters for older ones. */
export const CSV_MAX_ROWS = 50_000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z
  .string()
  .regex(DAY, "bad_date")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "bad_date");
const blankAsUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** The filters of the responses list, as the page's query string carries them. */
export const responseFiltersSchema = z
  .object({
    group: z.preprocess(blankAsUndefined, z.enum(SCORE_GROUPS).optional()),
    score: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(10).optional()),
    tier: z.preprocess(blankAsUndefined, z.string().max(64).optional()),
    segment: z.preprocess(blankAsUndefined, z.string().max(32).optional()),
    channel: z.preprocess(blankAsUndefined, z.enum(SURVEY_CHANNELS).optional()),
    /** Inclusive days (UTC), YYYY-MM-DD. */
    from: z.preprocess(blankAsUndefined, day.optional()),
    to: z.preprocess(blankAsUndefined, day.optional()),
    page: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "from_after_to", path: ["to"] });

export type ResponseFilters = z.output<typeof responseFiltersSchema>;

/** Reads the filters from a query string; anything unreadable is a 400. */
export function parseResponseFilters(params: URLSearchParams): ResponseFilters {
  const raw: Record<string, string> = {};
  for (const key of ["group", "score", "tier", "segment", "channel", "from", "to", "page"]) {
    const value = params.get(key);
    if (value !== null) raw[key] = value.trim();
  }
  return parseInput(responseFiltersSchema, raw, "Invalid response filters");
}

/** The scores of each kind that fall in a group (from scoreGroup, so the two never disagree). */
function groupWhere(group: ScoreGroup) {
  return SURVEY_KINDS.map((kind) => {
    const scores: number[] = [];
    for (let s = SCALES[kind].min; s <= SCALES[kind].max; s++) if (scoreGroup(kind, s) === group) scores.push(s);
    return { kind, score: { in: scores } };
  });
}

function responsesWhere(shopId: string, f: ResponseFilters) {
  const answeredAt =
    f.from || f.to
      ? {
          ...(f.from ? { gte: new Date(`${f.from}T00:00:00.000Z`) } : {}),
          ...(f.to ? { lt: new Date(Date.parse(`${f.to}T00:00:00.000Z`) + 86_400_000) } : {}),
        }
      : undefined;
  return {
    shopId,
    ...(f.group ? { OR: groupWhere(f.group) } : {}),
    ...(f.score !== undefined ? { score: f.score } : {}),
    ...(f.tier ? { tierKey: f.tier } : {}),
    ...(f.segment ? { segment: f.segment } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(answeredAt ? { answeredAt } : {}),
  };
}

export interface ResponseRow {
  id: string;
  shopifyOrderId: string;
  kind: SurveyKind;
  score: number;
  group: ScoreGroup;
  /** The shopper's words, as text. */
  comment: string | null;
  channel: SurveyChannel;
  pointsAwarded: number;
  tierKey: string | null;
  /** The tier's name under the current tier program (the key when the tier no longer exists). */
  tierName: string | null;
  segment: string | null;
  answeredAt: string;
  /** Null for a guest's order. */
  customer: { id: string; shopifyCustomerId: string; name: string | null; email: string | null } | null;
}

const responseSelect = {
  id: true,
  shopifyOrderId: true,
  kind: true,
  score: true,
  comment: true,
  channel: true,
  pointsAwarded: true,
  tierKey: true,
  segment: true,
  answeredAt: true,
  customer: { select: { id: true, shopifyCustomerId: true, firstName: true, lastName: true, email: true } },
} as const;

type SelectedResponse = {
  id: string;
  shopifyOrderId: string;
  kind: string;
  score: number;
  comment: string | null;
  channel: string;
  pointsAwarded: number;
  tierKey: string | null;
  segment: string | null;
  answeredAt: Date;
  customer: { id: string; shopifyCustomerId: string; firstName: string | null; lastName: string | null; email: string | null } | null;
};

const fullName = (c: { firstName: string | null; lastName: string | null }) => [c.firstName, c.lastName].filter(Boolean).join(" ") || null;

function toRow(r: SelectedResponse, tierNames: Map<string, string>): ResponseRow {
  const kind = (SURVEY_KINDS as readonly string[]).includes(r.kind) ? (r.kind as SurveyKind) : "nps";
  return {
    id: r.id,
    shopifyOrderId: r.shopifyOrderId,
    kind,
    score: r.score,
    group: scoreGroup(kind, r.score),
    comment: r.comment,
    channel: r.channel as SurveyChannel,
    pointsAwarded: r.pointsAwarded,
    tierKey: r.tierKey,
    tierName: r.tierKey ? (tierNames.get(r.tierKey) ?? r.tierKey) : null,
    segment: r.segment,
    answeredAt: r.answeredAt.toISOString(),
    customer: r.customer
      ? { id: r.customer.id, shopifyCustomerId: r.customer.shopifyCustomerId, name: fullName(r.customer), email: r.customer.email }
      : null,
  };
}

async function shopIdOf(db: Deps["db"], shopDomain: string): Promise<string> {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return shop.id;
}

async function tierNamesOf(db: Deps["db"], shopId: string): Promise<Map<string, string>> {
  const program = await currentTierProgram(db, shopId);
  return new Map((program?.tiers ?? []).map((t) => [t.key, t.name]));
}

export interface ResponsesPage {
  rows: ResponseRow[];
  total: number;
  page: number;
  pages: number;
  /** What the tier and segment filters can choose from: the values among this shop's answers. */
  options: { tiers: Array<{ key: string; name: string }>; segments: string[] };
}

/** One page of the shop's responses, newest first. */
export async function listResponses(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  filters: ResponseFilters,
  pageSize = RESPONSES_PAGE_SIZE,
): Promise<ResponsesPage> {
  const shopId = await shopIdOf(deps.db, shopDomain);
  const where = responsesWhere(shopId, filters);
  const [total, found, tierNames, tiers, segments] = await Promise.all([
    deps.db.surveyResponse.count({ where }),
    deps.db.surveyResponse.findMany({
      where,
      select: responseSelect,
      orderBy: [{ answeredAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * pageSize,
      take: pageSize,
    }),
    tierNamesOf(deps.db, shopId),
    deps.db.surveyResponse.findMany({ where: { shopId, tierKey: { not: null } }, select: { tierKey: true }, distinct: ["tierKey"] }),
    deps.db.surveyResponse.findMany({ where: { shopId, segment: { not: null } }, select: { segment: true }, distinct: ["segment"] }),
  ]);
  return {
    rows: found.map((r) => toRow(r, tierNames)),
    total,
    page: filters.page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    options: {
      tiers: tiers
        .map((t) => ({ key: t.tierKey!, name: tierNames.get(t.tierKey!) ?? t.tierKey! }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      segments: segments.map((s) => s.segment!).sort(),
    },
  };
}

export const CSV_HEADER = [
  "Answered",
  "Order ID",
  "Question",
  "Score",
  "Group",
  "Comment",
  "Channel",
  "Points for answering",
  "Customer ID",
  "Customer name",
  "Customer email",
  "VIP tier",
  "Segment",
] as const;

/**
 * Every response the filters select (newest first, at most CSV_MAX_ROWS) as CSV: RFC 4180
 * quoting, CRLF lines, a byte-order mark for spreadsheets, and text cells that a spreadsheet
 * would run as a formula prefixed with an apostrophe (csvCell).
 */
export async function responsesCsv(deps: Pick<Deps, "db">, shopDomain: string, filters: ResponseFilters): Promise<string> {
  const shopId = await shopIdOf(deps.db, shopDomain);
  const where = responsesWhere(shopId, filters);
  const tierNames = await tierNamesOf(deps.db, shopId);
  const out = [`\uFEFF${csvLine([...CSV_HEADER])}`];
  const batch = 1000;
  for (let skip = 0; skip < CSV_MAX_ROWS; skip += batch) {
    const found = await deps.db.surveyResponse.findMany({
      where,
      select: responseSelect,
      orderBy: [{ answeredAt: "desc" }, { id: "desc" }],
      skip,
      take: Math.min(batch, CSV_MAX_ROWS - skip),
    });
    for (const r of found.map((x) => toRow(x, tierNames))) {
      out.push(
        csvLine([
          r.answeredAt,
          r.shopifyOrderId,
          r.kind.toUpperCase(),
          r.score,
          r.group,
          r.comment,
          r.channel,
          r.pointsAwarded,
          r.customer?.shopifyCustomerId,
          r.customer?.name,
          r.customer?.email,
          r.tierName,
          r.segment,
        ]),
      );
    }
    if (found.length < batch) break;
  }
  return out.join("");
}

/** A file name for the download: kembali-survey-<shop>-<date>.csv. */
export function responsesCsvName(shopDomain: string, now: Date): string {
  return `kembali-survey-${shopDomain.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "")}-${now.toISOString().slice(0, 10)}.csv`;
}

export interface AlertView {
  id: string;
  createdAt: string;
  response: ResponseRow;
}

/** The shop's open detractor alerts, oldest first (the queue to work through). */
export async function openAlerts(deps: Pick<Deps, "db">, shopDomain: string, limit = 50): Promise<{ alerts: AlertView[]; total: number }> {
  const shopId = await shopIdOf(deps.db, shopDomain);
  const where = { shopId, status: "open" };
  const [found, total, tierNames] = await Promise.all([
    deps.db.detractorAlert.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, createdAt: true, response: { select: responseSelect } },
    }),
    deps.db.detractorAlert.count({ where }),
    tierNamesOf(deps.db, shopId),
  ]);
  return {
    alerts: found.map((a) => ({ id: a.id, createdAt: a.createdAt.toISOString(), response: toRow(a.response, tierNames) })),
    total,
  };
}

const idSchema = z.string().trim().min(1).max(64);

async function openAlertOf(db: Deps["db"], shopId: string, alertId: unknown) {
  const id = parseInput(idSchema, alertId, "Invalid alert id");
  const alert = await db.detractorAlert.findFirst({
    where: { id, shopId },
    select: { id: true, status: true, apologyRedemptionId: true, response: { select: { customerId: true } } },
  });
  if (!alert) throw new KembaliError("NOT_FOUND", "This alert does not exist");
  return alert;
}

/** "Mark handled": resolves an open alert. Already resolved: nothing changes (false). */
export async function resolveAlert(deps: Deps, shopDomain: string, alertId: unknown): Promise<{ resolved: boolean }> {
  const shopId = await shopIdOf(deps.db, shopDomain);
  const alert = await openAlertOf(deps.db, shopId, alertId);
  const { count } = await deps.db.detractorAlert.updateMany({
    where: { id: alert.id, shopId, status: "open" },
    data: { status: "resolved", resolvedAt: deps.clock() },
  });
  return { resolved: count === 1 };
}

export type ApologyResult =
  | { sent: true; redemptionId: string; status: "issued" | "pending"; code: string | null }
  | { sent: false; reason: "already_handled" | "failed"; failureReason?: string | null };

/**
 * "Send apology reward": gives the alert's member one of the shop's active rewards WITHOUT
 * spending points, through the path that creates every reward in Shopify (issueReward), and
 * resolves the alert with the redemption. Exactly once: the redemption is written in the same
 * transaction as a guarded update of the alert (still open, no apology yet); a second click, or
 * a "Mark handled" a moment earlier, finds no open alert, rolls back and sends nothing. If
 * Shopify refuses the reward, the alert opens again so the merchant can try another.
 * A guest's alert (no member) cannot get a reward: BAD_INPUT.
 */
export async function sendApology(
  deps: TxDeps & { shopify: ShopifyAdmin },
  shopDomain: string,
  input: { alertId: unknown; rewardId: unknown },
): Promise<ApologyResult> {
  const shopId = await shopIdOf(deps.db, shopDomain);
  const alert = await openAlertOf(deps.db, shopId, input.alertId);
  if (alert.status !== "open" || alert.apologyRedemptionId) return { sent: false, reason: "already_handled" };
  const customerId = alert.response.customerId;
  if (!customerId) throw new KembaliError("BAD_INPUT", "A guest's order has no member to send a reward to", { fields: { alert: "guest" } });
  const rewardId = parseInput(idSchema, input.rewardId, "Invalid reward id");
  const reward = await deps.db.reward.findFirst({ where: { id: rewardId, shopId, active: true } });
  if (!reward) throw new KembaliError("BAD_INPUT", "Choose one of your active rewards", { fields: { rewardId: "unknown_reward" } });

  const now = deps.clock();
  // Unique per attempt (a refused attempt may be followed by another); the guarded update
  // below, not this id, is what makes the apology happen once.
  const requestId = `apology-${alert.id}-${now.getTime()}`;
  const redemptionId = await deps
    .transaction(async (tx) => {
      const created = await tx.redemption.create({
        data: {
          shopId,
          customerId,
          rewardId: reward.id,
          requestId,
          pointsSpent: 0,
          status: "pending",
          code: reward.type === "store_credit" ? null : rewardCode(shopId, requestId),
        },
      });
      const { count } = await tx.detractorAlert.updateMany({
        where: { id: alert.id, shopId, status: "open", apologyRedemptionId: null },
        data: { status: "resolved", resolvedAt: now, apologyRedemptionId: created.id },
      });
      if (count !== 1) throw new AlreadyHandled();
      return created.id;
    })
    .catch((error: unknown) => {
      // Another click won a moment ago (the same alert, the same millisecond): already sent.
      if (error instanceof AlreadyHandled || isUniqueViolation(error)) return null;
      throw error;
    });
  if (!redemptionId) return { sent: false, reason: "already_handled" };

  await issueReward(deps, redemptionId);
  const r = await deps.db.redemption.findUniqueOrThrow({ where: { id: redemptionId } });
  if (r.status === "failed") {
    await deps.db.detractorAlert.updateMany({
      where: { id: alert.id, shopId, apologyRedemptionId: redemptionId },
      data: { status: "open", resolvedAt: null, apologyRedemptionId: null },
    });
    return { sent: false, reason: "failed", failureReason: r.failureReason };
  }
  return { sent: true, redemptionId, status: r.status === "issued" ? "issued" : "pending", code: r.status === "issued" ? r.code : null };
}

class AlreadyHandled extends Error {}
