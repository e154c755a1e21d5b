import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import { ONBOARDING_STEPS } from "~/admin/onboarding";
import { useT } from "~/components/use-t";

/** A step's number out of all of them, its title and what it is for. */
export function StepHeader({ step, title, help }: { step: number; title: string; help: string }) {
  const { t } = useT();
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone="info">{t("onboarding.step", { step, total: ONBOARDING_STEPS })}</Badge>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
      </InlineStack>
      <Text as="p" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}
