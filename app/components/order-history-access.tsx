// Settings → Order history: how far back Shopify lets Kembali read the shop's orders (access to
// all orders, read_all_orders) and how far back an import did read, said plainly, so an import
// of the last 60 days never passes for the whole history.
import { Banner, BlockStack, Text } from "@shopify/polaris";
import type { HistoryRange } from "~/domain/earning/history";
import type { MessageKey } from "~/i18n";
import { useT } from "./use-t";

export type HistoryAccess = "all" | "recent" | null;

export interface Notice {
  tone: "success" | "warning" | "subdued";
  title: MessageKey | null;
  body: MessageKey;
}

/** What the card says about the access Shopify granted now (null: Shopify did not answer). */
export function accessNotice(access: HistoryAccess): Notice {
  if (access === "all") return { tone: "success", title: null, body: "settings.backfill.scope.granted" };
  if (access === "recent") {
    return { tone: "warning", title: "settings.backfill.scope.missing.title", body: "settings.backfill.scope.missing" };
  }
  return { tone: "subdued", title: null, body: "settings.backfill.scope.unknown" };
}

/** What the card says about the range an import read; null before its first step. */
export function rangeNotice(range: HistoryRange | null): (Notice & { since: string | null }) | null {
  if (!range) return null;
  return range.allOrders
    ? { tone: "subdued", title: null, body: "settings.backfill.range.all", since: null }
    : { tone: "warning", title: null, body: "settings.backfill.range.recent", since: range.since };
}

export function HistoryAccessNotice({ access }: { access: HistoryAccess }) {
  const { t } = useT();
  const notice = accessNotice(access);
  return (
    <BlockStack gap="200">
      {notice.tone === "warning" ? (
        <Banner tone="warning" title={notice.title ? t(notice.title) : undefined}>
          <p id="history-access">{t(notice.body)}</p>
        </Banner>
      ) : (
        <Text as="p" id="history-access" tone={notice.tone === "success" ? "success" : "subdued"}>
          {t(notice.body)}
        </Text>
      )}
      <Text as="p" variant="bodySm" tone="subdued">
        {t("settings.backfill.scope.help")}
      </Text>
    </BlockStack>
  );
}

export function HistoryRangeNotice({ range, formatDate }: { range: HistoryRange | null; formatDate: (iso: string) => string }) {
  const { t } = useT();
  const notice = rangeNotice(range);
  if (!notice) return null;
  const text = t(notice.body, { date: notice.since ? formatDate(notice.since) : "" });
  return notice.tone === "warning" ? (
    <Banner tone="warning">
      <p id="backfill-range">{text}</p>
    </Banner>
  ) : (
    <Text as="p" id="backfill-range" variant="bodySm" tone="subdued">
      {text}
    </Text>
  );
}
