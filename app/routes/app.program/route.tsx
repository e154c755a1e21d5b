import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Banner, BlockStack, InlineGrid, Page } from "@shopify/polaris";
import prisma from "~/db.server";
import { appDeps } from "~/deps.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { formReader, programPage, readProgramForm, saveProgramForm } from "~/admin/program";
import { KembaliError } from "~/domain/errors";
import { type MessageKey } from "~/i18n";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { ProgramExample } from "~/components/program-example";
import { SaveBar } from "~/components/save-bar";
import { useProgramFields } from "./fields";
import { BonusesSection, EarningSection } from "./earning-section";
import { CampaignsSection, MultipliersSection } from "./multipliers-section";
import { CashbackSection, ExclusionsSection, StampsSection } from "./rules-sections";
import { ReferralSection } from "./referral-section";
import { ExpirySection, HoldoutSection, RedemptionSection } from "./points-sections";

export const meta = adminMeta("program.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    return { ...(await programPage({ db: prisma }, shop)), now: new Date().toISOString() };
  } catch (error) {
    throw errorResponse(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = readProgramForm(formReader(await request.formData()));
  try {
    await saveProgramForm(appDeps, shop, form);
    return { ok: true as const, fields: {} as Record<string, MessageKey> };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      return { ok: false as const, fields: (error.details?.fields ?? { form: "program.error" }) as Record<string, MessageKey> };
    }
    throw errorResponse(error);
  }
}

export default function Program() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const f = useProgramFields(data.form, data.currency, result && !result.ok ? result.fields : {});
  const { t, form, setForm } = f;
  const formRef = useRef<HTMLFormElement>(null);
  const saving = navigation.state === "submitting";

  // The last saved form: Discard goes back to it, and the save bar shows while the form differs.
  const [saved, setSaved] = useState(data.form);
  useEffect(() => {
    if (result?.ok) setSaved(form);
    // Only a new outcome of a save moves the baseline, not later typing.
  }, [result]);
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);

  return (
    <Page title={t("program.title")} subtitle={t("program.subtitle")}>
      <SaveBar
        id="program-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={() => formRef.current?.requestSubmit()}
        onDiscard={() => setForm(saved)}
        labels={{ message: t("saveBar.message"), save: t("program.save"), discard: t("saveBar.discard") }}
      />
      <Form method="post" ref={formRef}>
        <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400">
          <BlockStack gap="400">
            <EarningSection f={f} />
            <BonusesSection f={f} pendingDays={data.settings.earning.pendingDays} />
            <MultipliersSection f={f} />
            <CampaignsSection f={f} />
            <ExclusionsSection f={f} />
            <CashbackSection f={f} />
            <StampsSection f={f} />
            <ReferralSection f={f} codesSyncing={data.codesSyncing} />
            <ExpirySection f={f} />
            <RedemptionSection f={f} />
            <HoldoutSection f={f} />
          </BlockStack>

          {/* Beside the long form, the example and the outcome of the last save stay in view. */}
          <div style={{ position: "sticky", top: "1rem", alignSelf: "start" }}>
            <BlockStack gap="400">
              <ProgramExample form={form} currency={data.currency} saved={data.settings} now={data.now} />
              {result && !result.ok ? <Banner tone="critical">{t(result.fields.form ?? "program.error")}</Banner> : null}
              {result?.ok && !dirty ? <Banner tone="success">{t("program.saved")}</Banner> : null}
            </BlockStack>
          </div>
        </InlineGrid>
      </Form>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
