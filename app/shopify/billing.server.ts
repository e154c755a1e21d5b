// Which billing a shop's plan goes through (docs/decisions/009): Shopify's Billing API in
// production, with test charges unless the app really runs in production; in demo and test
// mode nothing at all, the plan is only recorded.
import type { AdminContext } from "../admin-context.server";
import { config, type AppMode } from "../config.server";
import { PAID_PLAN_NAMES, type PlanBilling } from "../domain/shop/plans";

export interface BillingSettings {
  /** shopify: the Billing API; local: no Shopify billing, the plan change is only recorded. */
  kind: "shopify" | "local";
  /** Shopify test charges (no money moves). */
  test: boolean;
}

/**
 * Real charges only in production mode on a production build (remix-serve runs with
 * NODE_ENV=production; `shopify app dev` does not) and without SHOPIFY_BILLING_TEST=1, which a
 * staging deployment sets to keep its charges test charges.
 */
export function billingSettings(mode: AppMode, env: Record<string, string | undefined>): BillingSettings {
  if (mode !== "production") return { kind: "local", test: true };
  return { kind: "shopify", test: env.NODE_ENV !== "production" || env.SHOPIFY_BILLING_TEST === "1" };
}

/** Where Shopify sends the merchant back after the confirmation page: the Plans page, inside the admin. */
export function billingReturnUrl(shop: string, apiKey: string): string {
  return `https://admin.shopify.com/store/${shop.replace(".myshopify.com", "")}/apps/${apiKey}/app/plans?billing=return`;
}

type LibraryBilling = NonNullable<AdminContext["billing"]>;

/** The library's billing context as the plans domain's port. */
export function shopifyPlanBilling(billing: LibraryBilling, opts: { test: boolean; returnUrl: string }): PlanBilling {
  return {
    kind: "shopify",
    test: opts.test,
    async active() {
      // With test charges, test subscriptions count; with real ones, only real ones do.
      const { appSubscriptions } = await billing.check({ plans: PAID_PLAN_NAMES, isTest: opts.test });
      const subscription = appSubscriptions.find((s) => s.status === "ACTIVE") ?? appSubscriptions[0];
      return subscription ? { id: subscription.id, name: subscription.name, test: subscription.test } : null;
    },
    request: (plan) => billing.request({ plan: plan.shopifyName!, isTest: opts.test, returnUrl: opts.returnUrl }),
    async cancel(subscriptionId) {
      await billing.cancel({ subscriptionId, isTest: opts.test, prorate: true });
    },
  };
}

/** The billing for an admin request: never Shopify's in demo or test mode. */
export function planBillingFor(ctx: AdminContext, settings = billingSettings(config.mode, process.env)): PlanBilling {
  if (ctx.demo || settings.kind === "local" || !ctx.billing) return { kind: "local" };
  return shopifyPlanBilling(ctx.billing, { test: settings.test, returnUrl: billingReturnUrl(ctx.shop, config.apiKey) });
}
