// The order's card on the thank-you and order-status pages: the points this order earns, a
// guest's claim, the survey on its scale with an optional comment (sent once), then the thanks
// and a promoter's referral link. What to show is decided in common/post-purchase.ts.
import { useEffect, useRef, useState } from "preact/hooks";
import { answerBody, COMMENT_MAX, failureMessage, orderView, type Msg } from "../../common/post-purchase";
import type { OrderSummary, SurveyAnswerResult } from "../../common/survey-api";
import type { PostPurchaseApi } from "./api";

export type Say = (msg: Msg) => string;

export function OrderCard({ order, api, say, locale }: { order: string | null; api: PostPurchaseApi; say: Say; locale: string }) {
  const [summary, setSummary] = useState<OrderSummary | null>(null);
  const [answer, setAnswer] = useState<SurveyAnswerResult | null>(null);
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Msg | null>(null);
  const [copied, setCopied] = useState(false);
  // Sent once: a second click before the answer arrives must not send again.
  const inFlight = useRef(false);

  useEffect(() => {
    if (!order) return;
    // A failed load shows nothing: the page is the shop's, not ours.
    void api.order(order).then((r) => r.ok && setSummary(r.data));
  }, [order]);

  const view = orderView(summary, answer, locale);
  if (!view || !order) return null;

  const send = async () => {
    if (inFlight.current || answer || !summary?.survey) return;
    const checked = answerBody(order, summary.survey, score, comment);
    if ("error" in checked) return setError(checked.error);
    inFlight.current = true;
    setSending(true);
    setError(null);
    const r = await api.survey(checked.body);
    setSending(false);
    if (r.ok) setAnswer(r.data);
    else {
      inFlight.current = false;
      setError(failureMessage(r.status));
    }
  };

  return (
    <s-stack gap="base">
      {view.points && <s-text>{say(view.points)}</s-text>}
      {view.claim && <s-text>{say(view.claim)}</s-text>}
      {view.survey && (
        <s-stack gap="small-200">
          <s-heading>{"text" in view.survey.question ? view.survey.question.text : say(view.survey.question)}</s-heading>
          {view.survey.reward && <s-text color="subdued">{say(view.survey.reward)}</s-text>}
          <s-stack direction="inline" gap="small-200">
            {view.survey.scores.map((s) => (
              <s-button key={s} variant={score === s ? "primary" : "secondary"} disabled={sending} onClick={() => setScore(s)}>
                {String(s)}
              </s-button>
            ))}
          </s-stack>
          <s-text color="subdued">{`${say(view.survey.low)} · ${say(view.survey.high)}`}</s-text>
          <s-text-area label={say({ key: "comment_label" })} maxLength={COMMENT_MAX} value={comment} onInput={(e: Event) => setComment((e.currentTarget as HTMLInputElement).value ?? "")} />
          {error && <s-text tone="critical">{say(error)}</s-text>}
          <s-button variant="primary" loading={sending} disabled={sending} onClick={send}>
            {say({ key: sending ? "sending" : "send" })}
          </s-button>
        </s-stack>
      )}
      {view.answered && (
        <s-stack gap="small-200">
          <s-text>{say(view.answered.thanks)}</s-text>
          {view.answered.sorry && <s-text>{say(view.answered.sorry)}</s-text>}
          {view.answered.referral && (
            <s-stack gap="small-200">
              <s-text>{say(view.answered.referral.label)}</s-text>
              <s-text type="strong">{view.answered.referral.url}</s-text>
              <s-clipboard-item id="kembali-referral" text={view.answered.referral.url} onCopy={() => setCopied(true)} />
              <s-button commandFor="kembali-referral">{say({ key: copied ? "copied" : "copy" })}</s-button>
            </s-stack>
          )}
        </s-stack>
      )}
    </s-stack>
  );
}
