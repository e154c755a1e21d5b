import { Form, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack } from "@shopify/polaris";
import { useT } from "~/components/use-t";
import type { loader } from "./route";
import { StepHeader } from "./step-header";

/** Step 3: whether the theme shows the widget, a link to turn it on, and the end of onboarding. */
export function SetupStep({ busy }: { busy: (intent: string) => boolean }) {
  const data = useLoaderData<typeof loader>();
  const { t } = useT();
  if (!data.setup) return null;
  return (
    <Card>
      <BlockStack gap="400">
        <StepHeader step={3} title={t("onboarding.step3.title")} help={t("onboarding.step3.help")} />
        <Banner tone={data.setup.embedEnabled ? "success" : "warning"}>
          {data.setup.embedEnabled === null
            ? t("setup.embed.unknown")
            : data.setup.embedEnabled
              ? t("setup.embed.on", { theme: data.setup.themeName ?? "" })
              : t("setup.embed.off", { theme: data.setup.themeName ?? "" })}
        </Banner>
        <InlineStack gap="200">
          <Button url={data.editorUrl} target="_blank" variant={data.setup.embedEnabled ? undefined : "primary"}>
            {t("setup.embed.action")}
          </Button>
          <Button url="/app/onboarding?step=3">{t("onboarding.step3.check")}</Button>
        </InlineStack>
        <InlineStack align="space-between">
          <Button url="/app/onboarding?step=2">{t("onboarding.back")}</Button>
          <Form method="post">
            <input type="hidden" name="intent" value="finish" />
            <Button submit variant="primary" loading={busy("finish")}>
              {t("onboarding.finish")}
            </Button>
          </Form>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
