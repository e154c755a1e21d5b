// The survey card (kembali-card-survey.js, budget 5,000 bytes gzipped, decision 026): loaded by
// the panel only when it shows a logged-in member's panel. One App Proxy call per page
// (GET {proxy}/survey, kept for later openings): when a survey is due for one of the member's
// orders it asks the question on the kind's scale (one labelled button per score, keyboard
// reachable), takes an optional comment and sends it (POST {proxy}/survey); then it thanks, says
// the points paid and gives a promoter the referral link to copy. It renders with the panel's
// own Preact (plain h() calls); the merchant's question and every answer are text.
import { api } from "../api";
import type { CardContext, MountCard } from "../contract";
import { COMMENT_MAX, afterAnswer, answerBody, dueSurvey, ends, offer, question, scale, type View } from "../survey";

let answer: Promise<unknown> | null = null;
/** What the card shows, kept across openings of the panel (each opening mounts a new box). */
let view: View | null = null;
let score: number | null = null;
let comment = "";
let error = "";
let busy = false;
let copied = false;

const mount: MountCard = (box, context) => {
  const { h, render, config, m } = context;
  const lang = config.lang;
  const draw = () => {
    if (!view || view.kind == "none") return render(null, box);
    if (view.kind == "thanks") {
      const url = view.referral;
      return render(
        h(
          "section",
          { "aria-labelledby": "kembali-survey", "data-testid": "kembali-survey", role: "status", tabIndex: -1 },
          h("h3", { id: "kembali-survey" }, view.text),
          view.paid && h("p", null, view.paid),
          url &&
            h(
              "div",
              { class: "sv-ref" },
              h("p", null, m.survey_share),
              h("input", {
                readOnly: true,
                value: url,
                "aria-label": m.survey_share,
                onFocus: (e: Event) => (e.target as HTMLInputElement).select(),
              }),
              h(
                "button",
                {
                  class: "b",
                  onClick: () =>
                    navigator.clipboard?.writeText(url).then(
                      () => {
                        copied = true;
                        draw();
                      },
                      () => {},
                    ),
                },
                copied ? m.copied : m.copy,
              ),
            ),
        ),
        box,
      );
    }
    const due = view.due;
    const [low, high] = ends(m, due);
    const send = (e: Event) => {
      e.preventDefault();
      const body = answerBody(due, score, comment);
      if (!body || busy) return;
      busy = true;
      error = "";
      draw();
      // One answer per order (the app keeps the first), so sending again after a lost reply is safe.
      api(config.proxy, "survey", body)
        .then(
          (reply) => {
            const next = afterAnswer(m, reply, lang);
            if ("view" in next) view = next.view;
            else error = next.error;
          },
          () => (error = m.offline),
        )
        .then(() => {
          busy = false;
          draw();
          // The Send button is gone once thanked: the shopper stays in the card, not lost on the page.
          if (view?.kind == "thanks") (box.firstChild as HTMLElement | null)?.focus();
        });
    };
    render(
      h(
        "form",
        { class: "sv", "aria-labelledby": "kembali-survey", "data-testid": "kembali-survey", onSubmit: send },
        h("h3", { id: "kembali-survey" }, question(m, due)),
        offer(m, due, lang) && h("p", null, offer(m, due, lang)),
        h(
          "div",
          { role: "group", "aria-labelledby": "kembali-survey", class: "sv-s" },
          scale(due).map((n) =>
            h(
              "button",
              {
                key: n,
                type: "button",
                "aria-pressed": score === n,
                "aria-label": `${n} / ${due.max}${n == due.min && low ? ` (${low})` : n == due.max && high ? ` (${high})` : ""}`,
                onClick: () => {
                  score = n;
                  draw();
                },
              },
              String(n),
            ),
          ),
        ),
        (low || high) && h("small", { class: "sv-e", "aria-hidden": "true" }, h("span", null, low), h("span", null, high)),
        h(
          "label",
          null,
          m.survey_comment,
          h("textarea", {
            maxLength: COMMENT_MAX,
            rows: 3,
            value: comment,
            onInput: (e: Event) => (comment = (e.target as HTMLTextAreaElement).value),
          }),
        ),
        error && h("p", { role: "alert" }, error),
        h("button", { class: "b", type: "submit", "aria-disabled": score == null || busy }, m.survey_send),
      ),
      box,
    );
  };
  draw();
  if (view) return;
  (answer ||= api(config.proxy, `survey?lang=${lang}`)).then(
    (reply) => {
      const due = dueSurvey(reply);
      view = due ? { kind: "ask", due } : { kind: "none" };
      draw();
    },
    () => (answer = null),
  );
};

(customElements.get("kembali-widget") as unknown as { survey?: MountCard }).survey = mount;
