import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useT } from "~/components/use-t";
import type { action } from "./route";

/** Adjust the balance by hand, with a reason; one request id per rendered form. */
export function AdjustCard({ requestId }: { requestId: string }) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, n } = useT();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (result?.ok) {
      setPoints("");
      setReason("");
    }
  }, [result]);
  const signed = (p: number) => (p > 0 ? "+" : "") + n.format(p);
  const fieldError = (field: string) => {
    if (!result || result.ok || !result.fields[field]) return undefined;
    return t(result.fields[field], { available: n.format(result.available ?? 0) });
  };
  return (
    <Form method="post">
      <input type="hidden" name="requestId" value={requestId} />
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("member.adjust")}
            </Text>
            <Text as="p" tone="subdued">
              {t("member.adjust.help")}
            </Text>
          </BlockStack>
          {result && !result.ok && (result.fields.form ?? result.fields.requestId) ? (
            <Banner tone="critical">{t(result.fields.form ?? result.fields.requestId)}</Banner>
          ) : null}
          {result?.ok ? (
            <Banner tone={result.applied ? "success" : "info"}>
              {result.applied
                ? t("member.adjust.done", { points: signed(result.points), balance: n.format(result.balance) })
                : t("member.adjust.repeat")}
            </Banner>
          ) : null}
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label={t("member.field.points")}
                helpText={t("member.field.points.help")}
                name="points"
                type="number"
                value={points}
                onChange={setPoints}
                autoComplete="off"
                error={fieldError("points")}
              />
              <TextField
                label={t("member.field.reason")}
                name="reason"
                value={reason}
                onChange={setReason}
                maxLength={200}
                autoComplete="off"
                error={fieldError("reason")}
              />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={navigation.state === "submitting"}>
              {t("member.adjust.submit")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Form>
  );
}
