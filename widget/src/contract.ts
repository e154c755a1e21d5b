// What the launcher (kembali-widget.js, on every page) and the panel (kembali-panel.js, loaded
// on idle, hover or first open) agree on. Types only: nothing here reaches either bundle.
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
