import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { SetupChecklist } from "~/domain/shop/setup";
import { useT } from "~/components/use-t";

function Step({
  done,
  title,
  detail,
  action,
}: {
  done: boolean;
  title: string;
  detail: string;
  action?: { label: string; url: string; external?: boolean };
}) {
  return (
    <InlineStack gap="300" align="space-between" blockAlign="center" wrap={false}>
      <InlineStack gap="300" blockAlign="center" wrap={false}>
        <Badge tone={done ? "success" : "attention"}>{done ? "✓" : "•"}</Badge>
        <BlockStack gap="050">
          <Text as="p" variant="bodyMd" fontWeight="semibold">
            {title}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        </BlockStack>
      </InlineStack>
      {action ? (
        <Button url={action.url} target={action.external ? "_blank" : undefined} variant={done ? "plain" : "primary"}>
          {action.label}
        </Button>
      ) : null}
    </InlineStack>
  );
}

/** The setup checklist: the earning rule (always set), a reward, the theme's app embed. */
export function SetupCard({ setup, rule, editorUrl }: { setup: SetupChecklist; rule: string; editorUrl: string }) {
  const { t } = useT();
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("setup.title", { done: setup.done, total: setup.total })}
          </Text>
          <Button url="/app/onboarding">{t("setup.guided")}</Button>
        </InlineStack>
        <Step done title={t("setup.program")} detail={rule} action={{ label: t("setup.program.action"), url: "/app/program" }} />
        <Step
          done={setup.rewards > 0}
          title={t("setup.rewards")}
          detail={t("setup.rewards.detail", { count: setup.rewards })}
          action={{ label: t("setup.rewards.action"), url: "/app/rewards" }}
        />
        <Step
          done={setup.embedEnabled === true}
          title={t("setup.embed")}
          detail={
            setup.embedEnabled === null
              ? t("setup.embed.unknown")
              : setup.embedEnabled
                ? t("setup.embed.on", { theme: setup.themeName ?? "" })
                : t("setup.embed.off", { theme: setup.themeName ?? "" })
          }
          action={{ label: t("setup.embed.action"), url: editorUrl, external: true }}
        />
      </BlockStack>
    </Card>
  );
}
