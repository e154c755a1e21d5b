// What Settings → Order history says about access to all orders and about an import's range.
import { expect, test } from "vitest";
import { accessNotice, rangeNotice } from "~/components/order-history-access";
import { translate } from "~/i18n";

test("GIVEN access to all orders not granted THEN the card warns that only the last 60 days can be imported, in both languages", () => {
  const notice = accessNotice("recent");
  expect(notice).toEqual({ tone: "warning", title: "settings.backfill.scope.missing.title", body: "settings.backfill.scope.missing" });
  expect(translate("en", notice.title!)).toBe("Only the last 60 days can be imported until read_all_orders is approved");
  expect(translate("id", notice.title!)).toContain("60 hari");
  expect(translate("id", notice.title!)).toContain("read_all_orders");
});

test("GIVEN access granted, or Shopify not answering THEN the card says so without a warning", () => {
  expect(accessNotice("all")).toMatchObject({ tone: "success", body: "settings.backfill.scope.granted" });
  expect(accessNotice(null)).toMatchObject({ tone: "subdued", body: "settings.backfill.scope.unknown" });
});

test("GIVEN an import's recorded range THEN a last-60-days import is a warning with its first day; a whole-history one is not", () => {
  expect(rangeNotice(null)).toBeNull();
  expect(rangeNotice({ allOrders: true, since: null })).toMatchObject({ tone: "subdued", body: "settings.backfill.range.all" });
  expect(rangeNotice({ allOrders: false, since: "2026-10-08T00:00:00.000Z" })).toMatchObject({
    tone: "warning",
    body: "settings.backfill.range.recent",
    since: "2026-10-08T00:00:00.000Z",
  });
});
