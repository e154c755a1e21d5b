import { BlockStack, Text } from "@shopify/polaris";
import type { EntryLabel } from "~/domain/ledger/entry-labels";
import { describeEntry } from "~/i18n/entry-label";
import { useT } from "./use-t";

/** A ledger entry's "why" cell: its label in the admin's language, an order's earning breakdown under it. */
export function EntryReason({ label }: { label: EntryLabel }) {
  const { locale } = useT();
  const { text, breakdown } = describeEntry(locale, label);
  if (!breakdown) return <>{text}</>;
  return (
    <BlockStack gap="050">
      <Text as="span">{text}</Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {breakdown}
      </Text>
    </BlockStack>
  );
}
