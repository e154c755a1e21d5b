// The home page's setup checklist: what a new merchant still has to do before shoppers see
// the program. The storefront only works once the app embed is on in the live theme (the
// most common "widget not showing" cause), so that is checked against the theme itself.
import type { Deps } from "../deps";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import { findShop } from "./shops";
import { KembaliError } from "../errors";

export interface SetupChecklist {
  rewards: number;
  /** true / false from the live theme; null when it could not be checked (or no live theme). */
  embedEnabled: boolean | null;
  themeName: string | null;
  done: number;
  total: number;
}

export async function setupChecklist(deps: Pick<Deps, "db">, shopDomain: string, shopify: ShopifyAdmin): Promise<SetupChecklist> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const rewards = await deps.db.reward.count({ where: { shopId: shop.id, active: true } });
  let embed: { theme: string; enabled: boolean } | null = null;
  try {
    embed = await shopify.appEmbedStatus();
  } catch {
    // Shopify not answering must not break the home page: the item shows "could not check".
  }
  const steps = [true, rewards > 0, embed?.enabled === true];
  return {
    rewards,
    embedEnabled: embed ? embed.enabled : null,
    themeName: embed?.theme ?? null,
    done: steps.filter(Boolean).length,
    total: steps.length,
  };
}

/** The theme editor, opened on the app embeds with Kembali's selected (Shopify's deep link). */
export function themeEditorLink(shopDomain: string, apiKey: string): string {
  return `https://${shopDomain}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(apiKey)}/app_embed`;
}
