import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { Layout, Page } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import {
  formReader,
  previewTierForm,
  readTierForm,
  saveTierForm,
  tierForm,
  tiersPage,
  type TierForm,
  type TierVersionView,
} from "~/admin/program";
import { KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import { formatMoney } from "../../../common/money";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { TierPreviewCard } from "~/components/tier-preview";
import { CurrentTiersCard } from "./current-card";
import { TierJobCard } from "./job-card";
import { TierHistoryCard } from "./history-card";
import { blankTier } from "./tier-rows";
import { TierEditorCard } from "./editor-card";
import { useFormState } from "~/components/form-state";
import { adminMeta } from "~/components/admin-title";

const REFRESH_MS = 2000;

export const meta = adminMeta("tiers.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    return await tiersPage({ db: prisma }, shop);
  } catch (error) {
    throw errorResponse(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const intent = form.get("intent") === "save" ? ("save" as const) : ("preview" as const);
  const tiers = readTierForm(formReader(form));
  const deps = appDeps;
  try {
    if (intent === "preview") {
      return {
        intent,
        ok: true as const,
        preview: await previewTierForm(deps, shop, tiers),
        saved: null,
        fields: {} as Record<string, MessageKey>,
      };
    }
    return {
      intent,
      ok: true as const,
      preview: null,
      saved: await saveTierForm(deps, shop, tiers),
      fields: {} as Record<string, MessageKey>,
    };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const fields = (error.details?.fields ?? { form: "tiers.error" }) as Record<string, MessageKey>;
      return { intent, ok: false as const, preview: null, saved: null, fields };
    }
    throw errorResponse(error);
  }
}

export default function Tiers() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const preview = useFetcher<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t, n, intl } = useT();
  const { currency, versions, job, rewards, members } = data;
  const current = versions[0] ?? null;

  const saved = useMemo(() => tierForm(current, currency), [current, currency]);
  const state = useFormState<TierForm>(saved.tiers.length ? saved : { ...saved, tiers: [blankTier()] });
  const { form } = state;
  const formRef = useRef<HTMLFormElement>(null);
  const [previewedFor, setPreviewedFor] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, MessageKey>>({});

  const snapshot = JSON.stringify(form);
  const changed = snapshot !== JSON.stringify(saved);
  const previewData = preview.data?.ok && preview.data.preview ? preview.data.preview : null;
  const previewFresh = previewData !== null && previewedFor === snapshot && preview.state === "idle";
  const active = job?.status === "queued" || job?.status === "running";

  useEffect(() => setErrors(preview.data?.fields ?? {}), [preview.data]);
  useEffect(() => {
    setErrors(result?.fields ?? {});
    // A saved version needs a new preview before the next change is saved.
    if (result?.ok) setPreviewedFor(null);
  }, [result]);

  // While customers are being moved, re-read the job's progress; stop once it is over.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);
  const threshold = (basis: string, amount: number) =>
    basis === "amount_spent" ? formatMoney({ amount, currency }, intl) : t("tiers.points", { points: n.format(amount) });
  const summary = (v: TierVersionView) =>
    v.tiers
      .map(
        (tier) =>
          `${tier.name} ${t("tiers.from", { threshold: threshold(v.basis, tier.threshold) })}${
            tier.earnMultiplier > 1 ? ` ×${n.format(tier.earnMultiplier)}` : ""
          }`,
      )
      .join(" · ");

  const tierNames = new Map<string, string>();
  for (const tier of [...form.tiers, ...(current?.tiers ?? [])])
    if (tier.key && !tierNames.has(tier.key)) tierNames.set(tier.key, tier.name);

  const runPreview = () => {
    if (!formRef.current) return;
    const body = new FormData(formRef.current);
    body.set("intent", "preview");
    setPreviewedFor(snapshot);
    preview.submit(body, { method: "post" });
  };

  const nextVersion = (current?.version ?? 0) + 1;
  const saving = navigation.state === "submitting";

  return (
    <Page title={t("tiers.title")} subtitle={t("tiers.subtitle")}>
      <Layout>
        <Layout.Section>
          <CurrentTiersCard current={current} members={members} threshold={threshold} />
        </Layout.Section>

        {job ? (
          <Layout.Section>
            <TierJobCard job={job} active={active} />
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Form method="post" ref={formRef}>
            <input type="hidden" name="intent" value="save" />
            <TierEditorCard
              state={state}
              rewards={rewards}
              currency={currency}
              errors={errors}
              savedVersion={result?.ok && result.saved ? result.saved.version : null}
              previewFresh={previewFresh}
              changed={changed}
              previewing={preview.state !== "idle"}
              saving={saving}
              nextVersion={nextVersion}
              onPreview={runPreview}
            />
          </Form>
        </Layout.Section>

        {previewData && previewedFor !== null ? (
          <Layout.Section>
            <TierPreviewCard
              preview={previewData}
              tierNames={tierNames}
              formatAmount={(amount) => threshold(form.basis, amount)}
              stale={!previewFresh && preview.state === "idle"}
            />
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <TierHistoryCard versions={versions} summary={summary} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
