// <kembali-widget>: the storefront loyalty launcher and panel. The theme loads this script
// deferred; it draws the launcher at once (no network) and mounts Preact on idle or on the
// shopper's first interaction, whichever comes first. Its strings come from the JSON child
// the app embed renders, the panel's styles from the stylesheet asset in data-css.
import { render } from "preact";
import { App, PANEL_ID } from "./app";
import { readConfig } from "./config";
import { launcherLabel } from "./format";
import { readMessages } from "./i18n";
import css from "./launcher.css";

const WAKE_EVENTS = ["pointerdown", "focusin", "keydown"];
const idle = (task: () => void) => ("requestIdleCallback" in window ? requestIdleCallback(task) : setTimeout(task, 1));

class KembaliWidget extends HTMLElement {
  connectedCallback() {
    // The theme editor can move the element; the shadow root is built only once.
    if (this.shadowRoot) return;
    const config = readConfig((name) => (this.getAttribute(name) || "").trim());
    const m = readMessages(this.querySelector("script[data-kembali-i18n]")?.textContent);
    const root = this.attachShadow({ mode: "open" });
    // The launcher is plain DOM with the markup App renders: render() adopts existing children,
    // so this same button keeps the focus or the click that woke Preact up. The accent values
    // are validated colours; the stylesheet URL goes in as a property, never as markup.
    root.innerHTML = `<style>:host{--a:${config.accent};--af:${config.onAccent}}${css}</style><link rel="stylesheet"><div class="k"><button class="l" data-testid="kembali-launcher" aria-expanded="false" aria-controls="${PANEL_ID}"></button></div>`;
    const [, sheet, box] = root.children as unknown as [HTMLStyleElement, HTMLLinkElement, HTMLDivElement];
    const launcher = box.firstChild as HTMLButtonElement;
    const { text, name } = launcherLabel(config, m, config.balance);
    sheet.href = config.css;
    launcher.textContent = text;
    if (name) launcher.setAttribute("aria-label", name);

    let mounted = false;
    const mount = () => {
      if (mounted) return;
      mounted = true;
      WAKE_EVENTS.forEach((type) => this.removeEventListener(type, mount));
      render(<App config={config} m={m} />, box);
    };
    WAKE_EVENTS.forEach((type) => this.addEventListener(type, mount));
    idle(mount);
  }
}

if (!customElements.get("kembali-widget")) customElements.define("kembali-widget", KembaliWidget);
