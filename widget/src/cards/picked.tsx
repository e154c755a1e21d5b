// The "picked for you" card (kembali-card-picked.js, budget 5,000 bytes gzipped, decision 026):
// loaded by the panel only when it shows a logged-in member's panel. One App Proxy call per
// page ({proxy}/picked, kept for later openings); it renders with the panel's own Preact (the
// `h` and `render` it is handed, so the card bundles none; plain h() calls, as JSX would import
// Preact's runtime): merchant text is always text. Nothing is shown when there are no picks.
import { api } from "../api";
import type { CardContext, MountCard, PickedAnswer, PickedProduct } from "../contract";
import { money, tr } from "../format";

let answer: Promise<PickedAnswer> | null = null;

/** Only same-origin product paths and https images: the answer crosses the network. */
const safe = (p: PickedProduct) => /^\/(?![/\\])/.test(p.url);
const image = (url: string | null) => (url && /^https:\/\//i.test(url) ? url : "");

const mount: MountCard = (box, { h, render, config, m }: CardContext) => {
  (answer ||= api(config.proxy, "picked")).then(
    ({ currency, products }: PickedAnswer) => {
      const shown = (products || []).filter(safe);
      if (!shown.length) return;
      const format = currency == config.currency ? config.moneyFormat : undefined;
      render(
        h(
          "section",
          { "aria-labelledby": "kembali-picked", "data-testid": "kembali-picked" },
          h("h3", { id: "kembali-picked" }, m.picked),
          h(
            "ul",
            null,
            shown.map((p) =>
              h(
                "li",
                { key: p.id },
                h(
                  "a",
                  { href: p.url },
                  image(p.imageUrl)
                    ? h("img", { src: image(p.imageUrl), alt: p.imageAlt || "", width: 48, height: 48, loading: "lazy" })
                    : h("i", null),
                  h(
                    "span",
                    null,
                    p.title,
                    h(
                      "small",
                      null,
                      p.price != null && money(p.price, currency, config.lang, format),
                      p.price != null && p.points ? " · " : "",
                      p.points ? tr(m, "earn_product", config.lang, {}, p.points) : "",
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
        box,
      );
    },
    () => (answer = null),
  );
};

(customElements.get("kembali-widget") as unknown as { picked?: MountCard }).picked = mount;
