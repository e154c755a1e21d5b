// The panel (kembali-panel.js): Preact and the App, loaded by the launcher on idle, hover or
// first open (budget 10,000 bytes gzipped, decision 026). Running it only hands the launcher
// its mount function; nothing renders until the shopper opens the panel or a referral code
// arrives.
import { render } from "preact";
import { App } from "./app";
import type { MountPanel } from "./contract";

const mount: MountPanel = (box, config, m) => {
  let app!: App;
  const keep = (instance: App | null) => {
    app = instance!;
  };
  render(<App ref={keep} config={config} m={m} />, box);
  return app;
};

(customElements.get("kembali-widget") as unknown as { panel?: MountPanel } | undefined)!.panel = mount;
