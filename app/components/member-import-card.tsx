// Settings → Members: import a CSV from another loyalty app (upload, preview, confirm, progress)
// and export the shop's members as CSV.
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, List, ProgressBar, Text } from "@shopify/polaris";
import { type MessageKey } from "~/i18n";
import type { MemberImportView } from "~/domain/members/member-import";
import { useT } from "./use-t";
import { downloadThroughFetch } from "./download";

const EXPORT_URL = "/app/settings/export.csv";

export function MemberImportCard({ memberImport, error }: { memberImport: MemberImportView | null; error: MessageKey | null }) {
  const { t, n, dateTime } = useT();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && String(navigation.formData?.get("intent") ?? "").startsWith("import-");
  const imp = memberImport;

  return (
    <Card>
      <BlockStack gap="400">
        {error ? <Banner tone="critical">{t(error)}</Banner> : null}
        {imp ? <ImportSummary imp={imp} n={n} dateTime={dateTime} busy={busy} /> : null}
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="import-preview" />
          <BlockStack gap="200">
            <label htmlFor="member-import-file">
              <Text as="span" variant="bodyMd">
                {t("settings.import.file")}
              </Text>
            </label>
            <input id="member-import-file" type="file" name="file" accept=".csv,text/csv" required />
            <Text as="p" variant="bodySm" tone="subdued">
              {t("settings.import.file.help")}
            </Text>
            <InlineStack align="end">
              <Button submit loading={busy && navigation.formData?.get("intent") === "import-preview"}>
                {t("settings.import.preview")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
        <ExportButton />
      </BlockStack>
    </Card>
  );
}

function ImportSummary({
  imp,
  n,
  dateTime,
  busy,
}: {
  imp: MemberImportView;
  n: Intl.NumberFormat;
  dateTime: Intl.DateTimeFormat;
  busy: boolean;
}) {
  const { t } = useT();
  const c = imp.counts;
  const percent = imp.job?.total ? Math.min(100, Math.floor((imp.job.progress / imp.job.total) * 100)) : 0;
  return (
    <BlockStack gap="300">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {imp.fileName}
        </Text>
        <Badge tone={imp.status === "applied" ? "success" : imp.status === "queued" ? "attention" : "info"}>
          {t(`settings.import.status.${imp.status}`)}
        </Badge>
      </InlineStack>
      <Text as="p" variant="bodySm" tone="subdued">
        {t("settings.import.columns", {
          columns: Object.entries(imp.columns)
            .map(([field, header]) => `${header} → ${t(`settings.import.field.${field}` as MessageKey)}`)
            .join(", "),
        })}
      </Text>
      <List type="bullet">
        <List.Item>{t("settings.import.count.rows", { count: n.format(c.rows) })}</List.Item>
        <List.Item>{t("settings.import.count.matched", { count: n.format(c.matched), changes: n.format(c.changes) })}</List.Item>
        <List.Item>{t("settings.import.count.notFound", { count: n.format(c.notFound) })}</List.Item>
        <List.Item>{t("settings.import.count.errors", { count: n.format(c.errors) })}</List.Item>
      </List>
      {imp.alreadyImportedAt && imp.status === "previewed" ? (
        <Banner tone="info">{t("settings.import.already", { date: dateTime.format(new Date(imp.alreadyImportedAt)) })}</Banner>
      ) : null}
      {imp.status === "queued" ? (
        <BlockStack gap="100">
          <ProgressBar progress={percent} size="small" tone="highlight" />
          <Text as="p" id="member-import-progress">
            {t("settings.import.progress", { count: n.format(imp.job?.progress ?? 0), total: n.format(imp.job?.total ?? c.changes) })}
          </Text>
          {imp.job?.error ? (
            <Banner tone={imp.job.status === "failed" ? "critical" : "warning"}>
              {t(imp.job.status === "failed" ? "settings.backfill.failed" : "settings.backfill.retrying", { error: imp.job.error })}
            </Banner>
          ) : null}
        </BlockStack>
      ) : null}
      {imp.status === "applied" && imp.outcomes ? (
        <Banner tone="success">
          {t("settings.import.done", {
            date: imp.appliedAt ? dateTime.format(new Date(imp.appliedAt)) : "",
            applied: n.format(imp.outcomes.applied ?? 0),
            unchanged: n.format((imp.outcomes.unchanged ?? 0) + (imp.outcomes.already_imported ?? 0)),
            failed: n.format(imp.outcomes.failed ?? 0),
          })}
        </Banner>
      ) : null}
      {imp.problems.length ? (
        <BlockStack gap="100">
          <Text as="h4" variant="headingXs">
            {t("settings.import.problems", { shown: n.format(imp.problems.length) })}
          </Text>
          <DataTable
            columnContentTypes={["numeric", "text", "text"]}
            headings={[t("settings.import.col.line"), t("settings.import.col.reason"), t("settings.import.col.value")]}
            rows={imp.problems.map((p) => [
              p.line,
              t(`settings.import.row.${p.error}` as MessageKey, { line: p.value ?? "" }),
              p.error === "duplicate" ? "" : (p.value ?? ""),
            ])}
          />
        </BlockStack>
      ) : null}
      {imp.status === "previewed" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="import-confirm" />
          <input type="hidden" name="importId" value={imp.id} />
          <BlockStack gap="200">
            <Text as="p" variant="bodySm" tone="subdued">
              {t("settings.import.confirm.help")}
            </Text>
            <InlineStack align="end">
              <Button submit variant="primary" disabled={c.changes === 0} loading={busy}>
                {c.changes === 0 ? t("settings.import.nothing") : t("settings.import.confirm", { count: n.format(c.changes) })}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      ) : null}
    </BlockStack>
  );
}

function ExportButton() {
  const { t } = useT();
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  async function download() {
    setState("loading");
    try {
      await downloadThroughFetch(EXPORT_URL, "kembali-members.csv");
      setState("idle");
    } catch {
      setState("failed");
    }
  }
  return (
    <BlockStack gap="200">
      {state === "failed" ? <Banner tone="critical">{t("settings.export.failed")}</Banner> : null}
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <Text as="p" variant="bodySm" tone="subdued">
          {t("settings.export.help")}
        </Text>
        <Button onClick={download} loading={state === "loading"}>
          {t("settings.export")}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}
