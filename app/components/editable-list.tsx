import type { ReactNode } from "react";
import { Banner, BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";

/**
 * The admin's one way to edit a list of rows inside a form: an error for the whole list, a
 * line when it is empty, each row in its own bordered box with a Remove button, and an Add
 * button that is disabled at the list's limit. The rows' fields come from `children`.
 */
export function EditableList<T>({
  items,
  rowKey,
  children,
  onAdd,
  onRemove,
  addLabel,
  removeLabel,
  emptyText,
  error,
  max,
  footer,
  rowTitle,
  onMove,
  moveLabels,
}: {
  items: readonly T[];
  rowKey: (item: T, index: number) => string | number;
  children: (item: T, index: number) => ReactNode;
  onAdd?: () => void;
  onRemove?: (index: number) => void;
  addLabel?: string;
  removeLabel?: string;
  emptyText?: string;
  error?: string;
  max?: number;
  /** Shown at the start of a row's last line, beside Remove (a hint such as the time zone). */
  footer?: (item: T, index: number) => ReactNode;
  /** A heading for each row; Remove (and Move up/down with `onMove`) then sit beside it. */
  rowTitle?: (item: T, index: number) => string;
  onMove?: (from: number, to: number) => void;
  moveLabels?: { up: string; down: string };
}) {
  const remove = (i: number) =>
    onRemove ? (
      <Button variant="plain" tone="critical" onClick={() => onRemove(i)}>
        {removeLabel}
      </Button>
    ) : null;
  return (
    <BlockStack gap="300">
      {error ? <Banner tone="critical">{error}</Banner> : null}
      {items.length === 0 && emptyText ? (
        <Text as="p" tone="subdued">
          {emptyText}
        </Text>
      ) : null}
      {items.map((item, i) => (
        <Box key={rowKey(item, i)} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
          <BlockStack gap="300">
            {rowTitle ? (
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {rowTitle(item, i)}
                </Text>
                <InlineStack gap="200">
                  {onMove && moveLabels ? (
                    <>
                      <Button size="slim" disabled={i === 0} onClick={() => onMove(i, i - 1)}>
                        {moveLabels.up}
                      </Button>
                      <Button size="slim" disabled={i === items.length - 1} onClick={() => onMove(i, i + 1)}>
                        {moveLabels.down}
                      </Button>
                    </>
                  ) : null}
                  {remove(i)}
                </InlineStack>
              </InlineStack>
            ) : null}
            {children(item, i)}
            {(!rowTitle && onRemove) || footer ? (
              <InlineStack align={footer ? "space-between" : "end"} blockAlign="center">
                {footer ? footer(item, i) : null}
                {rowTitle ? null : remove(i)}
              </InlineStack>
            ) : null}
          </BlockStack>
        </Box>
      ))}
      {onAdd ? (
        <InlineStack>
          <Button onClick={onAdd} disabled={max !== undefined && items.length >= max}>
            {addLabel}
          </Button>
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}
