import {
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { backfillStatus, startBackfill } from "~/domain/members/changes";
import { orderHistoryAccess } from "~/domain/earning/history";
import { pendingDataRequestCount } from "~/domain/members/compliance";
import { shopifyFor } from "~/shopify/shopify-for.server";
import { KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import { pickLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { MemberImportCard } from "~/components/member-import-card";
import { confirmMemberImport, latestMemberImport, MAX_FILE_BYTES, previewMemberImport } from "~/member-import.server";
import { AppearanceCard } from "~/components/appearance-card";
import { appearanceCard } from "~/appearance-preview.server";
import { adminMeta } from "~/components/admin-title";
import { BackfillCard } from "./backfill-card";

const REFRESH_MS = 2000;

export const meta = adminMeta("settings.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, demo } = await adminContext(request, context);
  const [backfill, historyAccess, memberImport, pendingDataRequests, appearance] = await Promise.all([
    backfillStatus({ db: prisma }, shop),
    shopifyFor(shop).then(orderHistoryAccess),
    latestMemberImport({ db: prisma }, shop),
    pendingDataRequestCount({ db: prisma }, shop),
    appearanceCard(prisma, shop, demo, pickLocale(request)),
  ]);
  return { backfill, historyAccess, memberImport, pendingDataRequests, appearance };
}

/** The form's fields; a file over the limit stops the upload as it streams in. */
async function readForm(request: Request): Promise<FormData | "too_large"> {
  if (!request.headers.get("Content-Type")?.startsWith("multipart/form-data")) return request.formData();
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return "too_large";
    throw error;
  }
}

/** Member CSV import: upload (a preview, nothing written to members) or confirm a preview. */
async function memberImportAction(shop: string, form: FormData | "too_large") {
  const deps = appDeps;
  const failed = (error: MessageKey) => ({ ok: false as const, intent: "import" as const, error });
  if (form === "too_large") return failed("settings.import.error.too_large");
  try {
    if (form.get("intent") === "import-confirm") {
      await confirmMemberImport(deps, shop, String(form.get("importId") ?? ""));
    } else {
      const file = form.get("file");
      if (!(file instanceof Blob) || file.size === 0) return failed("settings.import.error.empty");
      await previewMemberImport(deps, shop, {
        name: (file as File).name ?? "members.csv",
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
    }
    return { ok: true as const, intent: "import" as const, error: null };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const fields = (error.details?.fields ?? {}) as Record<string, MessageKey>;
      return failed(fields.file ?? fields.form ?? "settings.import.error.unreadable");
    }
    throw errorResponse(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await readForm(request);
  const intent = form === "too_large" ? "import-preview" : String(form.get("intent") ?? "backfill");
  if (intent.startsWith("import-")) return memberImportAction(shop, form);
  if (form === "too_large") throw errorResponse(new KembaliError("BAD_INPUT", "Too large"));
  try {
    const backfill = await startBackfill(appDeps, shop, {
      earnPoints: form.get("earnPoints") === "true",
    });
    return { ok: true as const, intent: "backfill" as const, backfill, error: null };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const fields = (error.details?.fields ?? {}) as Record<string, MessageKey>;
      return {
        ok: false as const,
        intent: "backfill" as const,
        backfill: null,
        error: fields.form ?? ("settings.backfill.error.running" as MessageKey),
      };
    }
    throw errorResponse(error);
  }
}

export default function Settings() {
  const { backfill, historyAccess, memberImport, pendingDataRequests, appearance } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const revalidator = useRevalidator();
  const { t, n } = useT();
  const active = backfill?.status === "queued" || backfill?.status === "running";
  const importing = memberImport?.status === "queued" && memberImport.job?.status !== "failed";

  // While the import runs, re-read its progress; stop once it is over.
  useEffect(() => {
    if (!active && !importing) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, importing, revalidator]);

  return (
    <Page title={t("settings.title")}>
      <Layout>
        <Layout.AnnotatedSection title={t("settings.backfill")} description={t("settings.backfill.help")}>
          <BackfillCard
            backfill={backfill}
            historyAccess={historyAccess}
            active={active}
            error={result && !result.ok && result.intent === "backfill" ? result.error : null}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("settings.import")} description={t("settings.import.help")}>
          <MemberImportCard memberImport={memberImport} error={result && !result.ok && result.intent === "import" ? result.error : null} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("settings.dataRequests")} description={t("settings.dataRequests.help")}>
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p" id="data-requests-pending">
                {pendingDataRequests > 0
                  ? t("settings.dataRequests.pending", { count: n.format(pendingDataRequests) })
                  : t("settings.dataRequests.none")}
              </Text>
              <Button url="/app/settings/data-requests">{t("settings.dataRequests.open")}</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <AppearanceCard data={appearance} />
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
