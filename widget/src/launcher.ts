// <kembali-widget>, the launcher: the only storefront script on every page (budget 3,000 bytes
// gzipped, decision 026). It starts only after the page's load event and its next frame, so
// it never competes with the theme's first paint or largest image (issue 16, bench/lighthouse.ts;
// decision 046). It then draws the launcher button (no network), remembers a ?ref= referral
// code, and loads the panel (kembali-panel.js, Preact) and its stylesheet when the browser is
// idle again, when the shopper points at or focuses the launcher, or at the latest on the first
// click. Its strings come from the JSON child the app embed renders, the panel's styles from
// the stylesheet asset in data-css, the panel's script from the asset in data-panel.
import { PANEL_ID, readConfig } from "./config";
import type { MountPanel, Panel } from "./contract";
import { launcherLabel } from "./format";
import { readMessages } from "./i18n";
import { capture } from "./referral";
import css from "./launcher.css";

const ignore = () => {};
const idle = (task: () => void) => ("requestIdleCallback" in window ? requestIdleCallback(task) : setTimeout(task, 1));

/** One panel script for the page, however many widgets; a failed load is tried again next time. */
let loading: Promise<MountPanel> | null = null;
function loadPanel(src: string): Promise<MountPanel> {
  return (loading ||= new Promise<MountPanel>((ok, fail) => {
    if (!src) return fail();
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => (KembaliWidget.panel ? ok(KembaliWidget.panel) : fail());
    script.onerror = fail;
    document.head.append(script);
  }).catch((e) => {
    loading = null;
    throw e;
  }));
}

class KembaliWidget extends HTMLElement {
  /** Set by the panel script when it runs. */
  static panel?: MountPanel;

  connectedCallback() {
    // The theme editor can move the element; the shadow root is built only once.
    if (this.shadowRoot) return;
    const config = readConfig((name) => (this.getAttribute(name) || "").trim());
    const m = readMessages(this.querySelector("script[data-kembali-i18n]")?.textContent);
    const root = this.attachShadow({ mode: "open" });
    // The launcher is plain DOM with the markup the panel's App renders: Preact's render()
    // adopts existing children, so this same button keeps the focus when the panel takes over.
    // The accent values are validated colours; the stylesheet URL goes in as a property, never
    // as markup.
    root.innerHTML = `<style>:host{--a:${config.accent};--af:${config.onAccent}}${css}</style><link rel="stylesheet"><div class="k"><button class="l" data-testid="kembali-launcher" aria-expanded="false" aria-controls="${PANEL_ID}"></button></div>`;
    const [, sheet, box] = root.children as unknown as [HTMLStyleElement, HTMLLinkElement, HTMLDivElement];
    const launcher = box.firstChild as HTMLButtonElement;
    const { text, name } = launcherLabel(config, m, config.balance);
    launcher.textContent = text;
    if (name) launcher.setAttribute("aria-label", name);

    let panel: Panel | undefined;
    // The panel's stylesheet comes with the panel's script, never before the page's own work.
    const load = () => {
      if (!sheet.href) sheet.href = config.css;
      return loadPanel(config.panel);
    };
    const prefetch = () => load().catch(ignore);
    const withPanel = (then: (panel: Panel) => void) =>
      load().then((mount) => {
        if (!panel) {
          panel = mount(box, config, m);
          // From now on the panel's own handlers answer the launcher.
          launcher.removeEventListener("click", click);
        }
        then(panel);
      }, ignore);
    const click = () => withPanel((p) => p.toggle());
    launcher.addEventListener("click", click);
    launcher.addEventListener("pointerenter", prefetch);
    launcher.addEventListener("focus", prefetch);
    idle(prefetch);
    // A friend who followed a referral link: the panel opens on their welcome code.
    capture(config.proxy, (answer) => answer?.reward?.code && withPanel((p) => p.welcome(answer)));
  }
}

// After the page's load event, in a task after the next frame: the page has painted by then.
const start = () =>
  requestAnimationFrame(() =>
    setTimeout(() => customElements.get("kembali-widget") || customElements.define("kembali-widget", KembaliWidget)),
  );
if (document.readyState === "complete") start();
else addEventListener("load", start, { once: true });
