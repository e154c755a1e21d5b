// The post-purchase survey's rules, the same for every channel (the checkout extension's
// thank-you and order-status pages, the customer-account extension, the storefront card):
// whether a shopper may answer for an order now, and recording an answer — once per order,
// whichever channel answers first; points for answering paid once, whatever the score; a
// detractor's answer opens an alert for the merchant; a promoter gets the referral link.
// Who the shopper is comes from the caller's verified token or signed request, never a body.
import type { DueSurvey, NoSurveyReason, SurveyAnswerResult } from "../../../common/survey-api";
import type { Deps, TxDeps, Tx } from "../deps";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { appendEntry } from "../ledger/ledger";
import { recordEvent } from "../messages/events";
import { findShop, type ShopRecord } from "../shop/shops";
import { referralFor } from "../referrals/codes";
import { COMMENT_MAX, readSurveySettings, SCALES, scoreGroup, type SurveyChannel, type SurveySettings } from "./settings";

const DAY = 86_400_000;

/** Who asks, for which order, through which channel. */
export interface SurveyAsker {
  channel: SurveyChannel;
  /** Shopify's numeric order id. */
  order: string;
  /** From the verified token or signed request; null for a guest (thank-you page only). */
  shopifyCustomerId: string | null;
  locale?: "en" | "id";
}

export type SurveyDue = { survey: DueSurvey; noSurvey: null } | { survey: null; noSurvey: NoSurveyReason };

interface Context {
  shop: ShopRecord;
  settings: SurveySettings;
  order: { id: string; customerId: string | null; cancelledAt: Date | null; fulfilledAt: Date | null } | null;
  customer: { id: string; holdout: boolean; tier: string | null; segment: string | null } | null;
}

async function context(db: Tx, shopDomain: string, asker: SurveyAsker): Promise<Context> {
  const row = await db.shop.findUnique({ where: { domain: shopDomain }, select: { survey: true, uninstalledAt: true } });
  const shop = row && !row.uninstalledAt ? await findShop(db, shopDomain) : null;
  if (!row || !shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const [order, customer] = await Promise.all([
    /^\d{1,20}$/.test(asker.order)
      ? db.order.findUnique({
          where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: asker.order } },
          select: { id: true, customerId: true, cancelledAt: true, fulfilledAt: true },
        })
      : null,
    asker.shopifyCustomerId
      ? db.customer.findUnique({
          where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: asker.shopifyCustomerId } },
          select: { id: true, holdout: true, tier: true, segment: true },
        })
      : null,
  ]);
  return { shop, settings: readSurveySettings(row.survey), order, customer };
}

/** Why the asker may not answer for this order now, or null when they may. */
async function refusal(db: Tx, c: Context, asker: SurveyAsker, now: Date): Promise<NoSurveyReason | null> {
  if (!c.settings.enabled) return "off";
  // Someone else's order is answered exactly like an order that does not exist: nothing leaks.
  if (!c.order) return "unknown_order";
  if (asker.shopifyCustomerId ? c.order.customerId === null || c.order.customerId !== c.customer?.id : c.order.customerId !== null)
    return "unknown_order";
  if (asker.channel !== "checkout" && !asker.shopifyCustomerId) return "unknown_order";
  if (c.order.cancelledAt) return "cancelled";
  const answered = await db.surveyResponse.findUnique({
    where: { shopId_shopifyOrderId: { shopId: c.shop.id, shopifyOrderId: asker.order } },
    select: { id: true },
  });
  if (answered) return "answered";
  if (c.customer && c.settings.throttleDays > 0) {
    const recent = await db.surveyResponse.findFirst({
      where: { customerId: c.customer.id, answeredAt: { gt: new Date(now.getTime() - c.settings.throttleDays * DAY) } },
      select: { id: true },
    });
    if (recent) return "throttled";
  }
  // The storefront asks some days after delivery; the thank-you, order-status and account
  // pages are where the shopper is looking at this order, so they ask at once.
  if (asker.channel === "storefront") {
    if (!c.order.fulfilledAt || now.getTime() < c.order.fulfilledAt.getTime() + c.settings.delayDays * DAY) return "not_yet";
  }
  return null;
}

/** Points for answering: members in the program only (not a guest, not the holdout group). */
function pointsFor(c: Context): number {
  return c.customer && !c.customer.holdout ? c.settings.pointsForAnswer : 0;
}

function dueSurvey(c: Context, locale: "en" | "id"): DueSurvey {
  const { kind, question } = c.settings;
  return { kind, question: question[locale] ?? null, ...SCALES[kind], pointsForAnswer: pointsFor(c) };
}

/** Whether the shopper may answer the survey for this order now, and how it is asked. */
export async function surveyDue(deps: Pick<Deps, "db" | "clock">, shopDomain: string, asker: SurveyAsker): Promise<SurveyDue> {
  const c = await context(deps.db, shopDomain, asker);
  const why = await refusal(deps.db, c, asker, deps.clock());
  return why ? { survey: null, noSurvey: why } : { survey: dueSurvey(c, asker.locale ?? "en"), noSurvey: null };
}

/**
 * The newest of the member's orders the storefront may ask about now (paid, fulfilled long
 * enough ago, not answered, within the last 60 days), or null: what the widget's card shows.
 */
export async function dueStorefrontSurvey(
  deps: Pick<Deps, "db" | "clock">,
  shopDomain: string,
  shopifyCustomerId: string,
  locale: "en" | "id" = "en",
): Promise<(DueSurvey & { order: string }) | null> {
  const now = deps.clock();
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, survey: true } });
  if (!shop || !readSurveySettings(shop.survey).enabled) return null;
  const orders = await deps.db.order.findMany({
    where: {
      shopId: shop.id,
      customer: { shopifyCustomerId },
      paidAt: { not: null },
      cancelledAt: null,
      fulfilledAt: { gt: new Date(now.getTime() - 60 * DAY) },
    },
    orderBy: { fulfilledAt: "desc" },
    take: 5,
    select: { shopifyOrderId: true },
  });
  for (const o of orders) {
    const due = await surveyDue(deps, shopDomain, { channel: "storefront", order: o.shopifyOrderId, shopifyCustomerId, locale });
    if (due.survey) return { ...due.survey, order: o.shopifyOrderId };
    // Throttled or off applies to every order of this member.
    if (due.noSurvey === "throttled" || due.noSurvey === "off") return null;
  }
  return null;
}

export interface SurveyAnswer extends SurveyAsker {
  score: unknown;
  comment?: unknown;
}

/** The comment as stored: trimmed text, at most COMMENT_MAX characters, no control characters but line breaks. */
function cleanComment(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== "string") throw new KembaliError("BAD_INPUT", "The comment must be text", { field: "comment" });
  const text = raw.replace(/\r\n?/g, "\n").trim();
  if (text === "") return null;
  if ([...text].length > COMMENT_MAX)
    throw new KembaliError("BAD_INPUT", `The comment is longer than ${COMMENT_MAX} characters`, { field: "comment" });
  if (/[\u0000-\u0008\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text))
    throw new KembaliError("BAD_INPUT", "The comment holds characters that cannot be stored", { field: "comment" });
  return text;
}

/**
 * Records the answer. Refused, with nothing written: a score off the scale or a bad comment
 * (400), an order that is not the asker's or does not exist (404), a survey that is off, not
 * due yet, throttled or cancelled (409 SURVEY_NOT_DUE with details.reason), and a second
 * answer for the order from any channel (409 SURVEY_NOT_DUE, reason "answered"). Points for answering are a
 * ledger entry keyed by the order, so they are paid at most once.
 */
export async function answerSurvey(deps: TxDeps, shopDomain: string, answer: SurveyAnswer): Promise<SurveyAnswerResult> {
  const comment = cleanComment(answer.comment);
  const now = deps.clock();
  const recorded = await deps.transaction(async (tx) => {
    const c = await context(tx, shopDomain, answer);
    const { kind } = c.settings;
    const { min, max } = SCALES[kind];
    if (typeof answer.score !== "number" || !Number.isInteger(answer.score) || answer.score < min || answer.score > max)
      throw new KembaliError("BAD_INPUT", `The score must be a whole number from ${min} to ${max}`, { field: "score", min, max });
    const score = answer.score;
    const why = await refusal(tx, c, answer, now);
    if (why === "unknown_order") throw new KembaliError("NOT_FOUND", "No such order for this shopper");
    if (why) throw new KembaliError("SURVEY_NOT_DUE", `No survey for this order now: ${why}`, { reason: why });
    let response;
    try {
      response = await tx.surveyResponse.create({
        data: {
          shopId: c.shop.id,
          shopifyOrderId: answer.order,
          customerId: c.customer?.id ?? null,
          kind,
          score,
          comment,
          channel: answer.channel,
          tierKey: c.customer?.tier ?? null,
          segment: c.customer?.segment ?? null,
          answeredAt: now,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KembaliError("SURVEY_NOT_DUE", "This order's survey was already answered", { reason: "answered" });
      throw error;
    }
    const group = scoreGroup(kind, score);
    if (group === "detractor") {
      await tx.detractorAlert.create({ data: { shopId: c.shop.id, responseId: response.id, createdAt: now } });
      // To the merchant (a guest's answer has no member: customerId null).
      await recordEvent(
        tx,
        c.shop.id,
        c.customer?.id ?? null,
        "detractor_alert",
        `detractor_alert:${response.id}`,
        { responseId: response.id, shopifyOrderId: answer.order, score, kind, comment },
        now,
      );
    }
    let pointsAwarded = 0;
    const points = pointsFor(c);
    if (points > 0 && c.customer) {
      const { applied } = await appendEntry(
        tx,
        {
          shopId: c.shop.id,
          customerId: c.customer.id,
          kind: "earn",
          points,
          idempotencyKey: `survey:${answer.order}`,
          sourceType: "survey",
          sourceId: answer.order,
          reason: `Answered the survey for order ${answer.order}`,
          at: now,
        },
        { mayGoNegative: false },
      );
      if (applied) {
        pointsAwarded = points;
        await tx.surveyResponse.update({ where: { id: response.id }, data: { pointsAwarded } });
      }
    }
    return { group, pointsAwarded, promoterReferral: group === "promoter" && c.customer !== null && c.shop.settings.referral.enabled };
  });
  // The referral code is made outside the transaction (referralFor retries a taken code).
  const referral =
    recorded.promoterReferral && answer.shopifyCustomerId ? await referralFor(deps, shopDomain, answer.shopifyCustomerId) : null;
  return { group: recorded.group, pointsAwarded: recorded.pointsAwarded, referral };
}
