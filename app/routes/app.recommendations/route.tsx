import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Layout, Page } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { recommendationsPage, recsShopId } from "~/admin/recommendations";
import { saveRecsSettings, setExcluded, setPicks, setPins } from "~/domain/recommendations/choices";
import { startRecsRebuild } from "~/domain/recommendations/rebuild-control";
import { KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { OverviewCard } from "./overview-card";
import { QualityCard } from "./quality-card";
import { RebuildCard } from "./rebuild-card";
import { SettingsCard } from "./settings-card";
import { PicksCard } from "./picks-card";
import { ProductsCard } from "./products-card";

const REFRESH_MS = 2000;
const INTENTS = ["settings", "picks", "pins", "exclude", "rebuild"] as const;
type Intent = (typeof INTENTS)[number];

export const meta = adminMeta("recs.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    return await recommendationsPage({ db: prisma }, shop);
  } catch (error) {
    throw errorResponse(error);
  }
}

export interface RecsActionResult {
  intent: Intent;
  ok: boolean;
  /** The message for a refused change, and the field it belongs to. */
  error: MessageKey | null;
  fields: Record<string, MessageKey>;
  /** For a rebuild: false when one was already queued or running. */
  started?: boolean;
}

/** Each change is one intent; a refused one answers 400 with the message to show, and writes nothing. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  if (!INTENTS.includes(intent)) throw errorResponse(new KembaliError("BAD_INPUT", "Unknown intent"));
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const ok = (more: Partial<RecsActionResult> = {}): RecsActionResult => ({ intent, ok: true, error: null, fields: {}, ...more });
  try {
    const shopId = await recsShopId(prisma, shop);
    switch (intent) {
      case "settings":
        await saveRecsSettings(appDeps, shopId, { listLength: text("listLength"), minOrders: text("minOrders") });
        return ok();
      case "picks":
        await setPicks(appDeps, shopId, form.getAll("picks").map(String));
        return ok();
      case "pins":
        await setPins(appDeps, shopId, text("productId"), form.getAll("pinned").map(String));
        return ok();
      case "exclude": {
        const value = text("excluded");
        await setExcluded(appDeps, shopId, text("productId"), value === "true" ? true : value === "false" ? false : value);
        return ok();
      }
      case "rebuild":
        return ok({ started: (await startRecsRebuild(appDeps, shop)).started });
    }
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const fields = (error.details?.fields ?? {}) as Record<string, MessageKey>;
      const first = Object.values(fields)[0] ?? ("recs.error.bad_product_id" as MessageKey);
      return data<RecsActionResult>({ intent, ok: false, error: first, fields }, { status: 400 });
    }
    throw errorResponse(error);
  }
}

export default function Recommendations() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData() as RecsActionResult | undefined;
  const revalidator = useRevalidator();
  const { t } = useT();
  const active = page.rebuild?.status === "queued" || page.rebuild?.status === "running";

  // While a rebuild runs, re-read its progress; stop once it is over.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  const refused = (intent: Intent) => (result && !result.ok && result.intent === intent ? result.error : null);

  return (
    <Page title={t("recs.title")} subtitle={t("recs.subtitle")}>
      <Layout>
        <Layout.Section>
          <OverviewCard overview={page.overview} minOrders={page.settings.minOrders} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <QualityCard rebuild={page.measured} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <RebuildCard rebuild={page.rebuild} already={result?.intent === "rebuild" && result.started === false} />
        </Layout.Section>
        <Layout.Section>
          <SettingsCard
            settings={page.settings}
            limits={page.limits}
            fields={result && !result.ok && result.intent === "settings" ? result.fields : {}}
            saved={!!result?.ok && result.intent === "settings"}
          />
        </Layout.Section>
        <Layout.Section>
          <PicksCard picks={page.picks} max={page.limits.picks} error={refused("picks")} />
        </Layout.Section>
        <Layout.Section>
          <ProductsCard
            excluded={page.excluded}
            pinned={page.pinned}
            listLength={page.settings.listLength}
            error={refused("exclude") ?? refused("pins")}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
