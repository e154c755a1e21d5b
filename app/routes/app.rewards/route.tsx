import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { createReward, listRewards, setRewardActive, type RewardType } from "~/domain/rewards/rewards";
import { findShop } from "~/domain/shop/shops";
import { KembaliError } from "~/domain/errors";
import { parseMoney } from "../../../common/money";
import { messages, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { CatalogueCard } from "./catalogue-card";
import { CreateRewardCard } from "./create-form";
import { MONEY_TYPES } from "./money-types";

async function shopCurrency(shop: string): Promise<string> {
  const record = await findShop(prisma, shop);
  if (!record) throw new KembaliError("NOT_FOUND", `Shop ${shop} is not installed`);
  return record.currency;
}

export const meta = adminMeta("rewards.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    const [currency, rewards] = await Promise.all([shopCurrency(shop), listRewards({ db: prisma }, shop)]);
    return { currency, rewards };
  } catch (error) {
    throw errorResponse(error);
  }
}

/** Form text -> a whole number, or NaN for the domain's schema to refuse. */
const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : NaN);
/** Whole currency units as typed ("50000", "12.50") -> exact minor units; NaN if not an amount. */
function minor(text: string, currency: string): number {
  try {
    return parseMoney(text.replace(/[\s,]/g, ""), currency).amount;
  } catch {
    return NaN;
  }
}

function rewardInput(form: FormData, currency: string) {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const type = text("type") as RewardType;
  return {
    name: text("name"),
    type,
    pointsCost: whole(text("pointsCost")),
    value: MONEY_TYPES.includes(type) ? minor(text("amount"), currency) : type === "percentage" ? whole(text("percent")) : 0,
    variantId: type === "free_product" ? text("variantId") || null : null,
    minimumSubtotal: text("minimumSubtotal") ? minor(text("minimumSubtotal"), currency) : null,
    validityDays: text("validityDays") ? whole(text("validityDays")) : null,
    combinesWithOrder: form.get("combinesWithOrder") === "true",
    combinesWithProduct: form.get("combinesWithProduct") === "true",
    combinesWithShipping: form.get("combinesWithShipping") === "true",
  };
}

// The schema names most problems with a message key; for the rest (a number that is not a
// number, an unknown type) each field has its own message.
const FIELD_MESSAGE: Record<string, MessageKey> = {
  name: "reward.error.name",
  type: "reward.error.type",
  pointsCost: "reward.error.pointsCost",
  variantId: "reward.error.variantId",
  minimumSubtotal: "reward.error.minimumSubtotal",
  validityDays: "reward.error.validityDays",
};

function fieldErrors(fields: Record<string, string>, type: string): Record<string, MessageKey> {
  const out: Record<string, MessageKey> = {};
  for (const [field, message] of Object.entries(fields)) {
    const fallback = field === "value" ? (type === "percentage" ? "reward.error.percent" : "reward.error.amount") : FIELD_MESSAGE[field];
    out[field] = message in messages.en ? (message as MessageKey) : (fallback ?? "rewards.error");
  }
  return out;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  try {
    if (form.get("intent") === "toggle") {
      await setRewardActive({ db: prisma }, shop, String(form.get("rewardId") ?? ""), form.get("active") === "true");
      return { ok: true as const, created: null, fields: {} as Record<string, MessageKey> };
    }
    const input = rewardInput(form, await shopCurrency(shop));
    try {
      const reward = await createReward({ db: prisma }, shop, input);
      return { ok: true as const, created: reward.name, fields: {} as Record<string, MessageKey> };
    } catch (error) {
      if (!(error instanceof KembaliError) || error.code !== "BAD_INPUT") throw error;
      const fields = (error.details?.fields ?? {}) as Record<string, string>;
      return { ok: false as const, created: null, fields: fieldErrors(fields, input.type) };
    }
  } catch (error) {
    throw errorResponse(error);
  }
}

export default function Rewards() {
  const { currency, rewards } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  return (
    <Page title={t("rewards.title")} subtitle={t("rewards.subtitle")}>
      <Layout>
        <Layout.Section>
          <CatalogueCard rewards={rewards} currency={currency} />
        </Layout.Section>
        <Layout.Section>
          <CreateRewardCard currency={currency} result={result} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
