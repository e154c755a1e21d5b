// What the launcher (kembali-widget.js, on every page), the panel (kembali-panel.js, loaded
// on idle, hover or first open), the cards (kembali-card-<name>.js, loaded when shown) and the
// app's App Proxy answers agree on. Types only: nothing here reaches any bundle.
import type { h, render } from "preact";
import type { Config } from "./config";
import type { Messages } from "./i18n";

/** The mounted panel, as the launcher drives it. */
export interface Panel {
  toggle(): void;
  /** The referral claim's answer: opens the panel on the friend's welcome code, if there is one. */
  welcome(answer: unknown): void;
}

/**
 * The panel script sets this as the static `panel` of the <kembali-widget> class; it renders
 * into the launcher's box, taking over the launcher button that is already there.
 */
export type MountPanel = (box: HTMLElement, config: Config, m: Messages) => Panel;

/** What the panel hands a card: its own Preact (a card bundles none) and what it was given. */
export interface CardContext {
  h: typeof h;
  render: typeof render;
  config: Config;
  m: Messages;
}

/**
 * A card script sets this as a static of the <kembali-widget> class (`picked`); the panel calls
 * it with the box the card renders into, each time the panel shows that box.
 */
export type MountCard = (box: HTMLElement, context: CardContext) => void;

/** One product of GET {proxy}/picked (app/domain/recommendations/picked.ts). */
export interface PickedProduct {
  id: string;
  /** Merchant text. */
  title: string;
  /** "/products/<handle>?kembali_rec=picked". */
  url: string;
  imageUrl: string | null;
  imageAlt: string | null;
  /** Minor units of `currency`; null when the app does not know it yet. */
  price: number | null;
  /** What the product earns at least; null when unknown. */
  points: number | null;
}

/** GET {proxy}/picked: the logged-in shopper's "picked for you" products (none: an empty list). */
export interface PickedAnswer {
  currency: string;
  products: PickedProduct[];
}
