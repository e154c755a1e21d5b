// The order-status page's block (customer-account.order-status.block.render): the order's
// points and the survey while it is due, from the app's account routes.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { numericId } from "../../../common/post-purchase";
import { postPurchaseApi } from "../../shared/api";
import { OrderCard } from "../../shared/OrderCard";
import { localeOf, sayWith } from "../../shared/say";

export default function extension() {
  render(<OrderStatusBlock />, document.body);
}

const api = postPurchaseApi("account", () => shopify.sessionToken.get());

function OrderStatusBlock() {
  const order = numericId(shopify.order.value?.id);
  const locale = localeOf(shopify.localization.language.value?.isoCode);
  return <OrderCard order={order} api={api} say={sayWith(shopify.i18n)} locale={locale} />;
}
