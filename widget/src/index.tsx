// <kembali-widget>: the storefront loyalty launcher and panel. The theme loads this script
// deferred; it draws the launcher at once (no network) and mounts Preact on idle or on the
// shopper's first interaction, whichever comes first.
import { render } from "preact";
import { App, PANEL_ID } from "./app";
import { readConfig } from "./config";
import { launcherLabel } from "./format";
import { messages } from "./i18n";
import css from "./widget.css";

const WAKE_EVENTS = ["pointerdown", "focusin", "keydown"];

class KembaliWidget extends HTMLElement {
  connectedCallback() {
    // The theme editor can move the element; the shadow root is built only once.
    if (this.shadowRoot) return;
    const config = readConfig((name) => (this.getAttribute(name) || "").trim());
    const m = messages[config.lang];
    const root = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = `:host{--a:${config.accent};--af:${config.onAccent}}${css}`;
    const box = document.createElement("div");

    // Plain-DOM launcher with the markup App renders: render() adopts existing children,
    // so this same button keeps the focus or the click that woke Preact up.
    const launcher = document.createElement("button");
    const { text, name } = launcherLabel(config, m, config.balance);
    launcher.type = "button";
    launcher.className = "l";
    launcher.textContent = text;
    launcher.setAttribute("data-testid", "kembali-launcher");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", PANEL_ID);
    if (name) launcher.setAttribute("aria-label", name);
    box.append(launcher);
    root.append(style, box);

    let mounted = false;
    const mount = () => {
      if (mounted) return;
      mounted = true;
      WAKE_EVENTS.forEach((type) => this.removeEventListener(type, mount));
      render(<App config={config} m={m} />, box);
    };
    WAKE_EVENTS.forEach((type) => this.addEventListener(type, mount));
    if ("requestIdleCallback" in window) requestIdleCallback(mount);
    else setTimeout(mount, 1);
  }
}

if (!customElements.get("kembali-widget")) customElements.define("kembali-widget", KembaliWidget);
