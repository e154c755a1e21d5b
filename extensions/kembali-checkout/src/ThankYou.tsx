// The thank-you page's block (purchase.thank-you.block.render): the order's points, a guest's
// claim, the survey and a promoter's referral link, from the app's checkout routes.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { numericId } from "../../../common/post-purchase";
import { postPurchaseApi } from "../../shared/api";
import { OrderCard } from "../../shared/OrderCard";
import { localeOf, sayWith } from "../../shared/say";

export default function extension() {
  render(<ThankYou />, document.body);
}

const api = postPurchaseApi("checkout", () => shopify.sessionToken.get());

function ThankYou() {
  const order = numericId(shopify.orderConfirmation.value?.order?.id);
  const locale = localeOf(shopify.localization.language.value?.isoCode);
  return <OrderCard order={order} api={api} say={sayWith(shopify.i18n)} locale={locale} />;
}
