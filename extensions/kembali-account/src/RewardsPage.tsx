// The customer account's Rewards page (customer-account.page.render): balance, pending points,
// tier and progress, the stamp card, the welcome gift's code, rewards and issued codes, history and
// the referral link, from GET /api/account/summary (the widget's ShopperState); a Redeem button on
// each reward the member can afford (POST /api/account/redeem). What to show: common/post-purchase.ts.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  accountView,
  redeemOutcome,
  redeemRequestId,
  withRedemption,
  type AccountSummary,
  type Msg,
  type RedeemBody,
  type Redemption,
} from "../../../common/post-purchase";
import { postPurchaseApi } from "../../shared/api";
import { localeOf, sayWith } from "../../shared/say";

export default function extension() {
  render(<RewardsPage />, document.body);
}

const api = postPurchaseApi("account", () => shopify.sessionToken.get());

function RewardsPage() {
  const say = sayWith(shopify.i18n);
  const locale = localeOf(shopify.localization.language.value?.isoCode);
  const [state, setState] = useState<AccountSummary | null>(null);
  const [failed, setFailed] = useState<number | null | undefined>(undefined);
  const [redeeming, setRedeeming] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, { msg: Msg; code: string | null }>>({});
  // One request id per reward until an answer settles it: a retry after no answer never spends twice.
  const [requests] = useState<Record<string, string>>({});
  const redeem = async (rewardId: string) => {
    setRedeeming(rewardId);
    const body: RedeemBody = { rewardId, requestId: (requests[rewardId] ??= redeemRequestId()) };
    const answer = await api.post<{ redemption: Redemption }>("/api/account/redeem", body);
    const outcome = redeemOutcome(answer);
    if (!outcome.retrySameRequest) delete requests[rewardId];
    if (answer.ok) setState((s) => s && withRedemption(s, answer.data.redemption));
    setOutcomes((o) => ({ ...o, [rewardId]: outcome }));
    setRedeeming(null);
  };
  useEffect(() => {
    void api.get<AccountSummary>("/api/account/summary").then((r) => (r.ok ? setState(r.data) : setFailed(r.status)));
  }, []);

  if (!state)
    return (
      <s-page heading={say({ key: "account_heading" })}>
        {failed !== undefined ? <s-text tone="critical">{say({ key: failed === 401 ? "error_session" : "error_network" })}</s-text> : <s-spinner />}
      </s-page>
    );
  const view = accountView(state, locale);
  return (
    <s-page heading={say({ key: "account_heading" })}>
      <s-section>
        <s-stack gap="small-200">
          <s-heading>{say(view.balance)}</s-heading>
          {view.pending && <s-text color="subdued">{say(view.pending)}</s-text>}
          {!view.member && <s-text>{say({ key: "join" })}</s-text>}
          {view.tier && <s-text>{`${say(view.tier.label)}: ${view.tier.name}`}</s-text>}
          {view.progress && (
            <s-stack gap="small-300">
              <s-progress value={view.progress.ratio} max={1} />
              <s-text color="subdued">{say(view.progress.label)}</s-text>
            </s-stack>
          )}
          {view.stamps && (
            <s-stack gap="small-300">
              <s-progress value={view.stamps.ratio} max={1} />
              <s-text color="subdued">{say(view.stamps.label)}</s-text>
            </s-stack>
          )}
        </s-stack>
      </s-section>
      {view.welcome && (
        <s-section heading={say(view.welcome.heading)}>
          <s-stack gap="small-300">
            <s-text>{view.welcome.name}</s-text>
            <s-text type="strong">{view.welcome.code}</s-text>
            {view.welcome.expires && <s-text color="subdued">{say(view.welcome.expires)}</s-text>}
            {view.welcome.applyUrl && <s-link href={view.welcome.applyUrl}>{say({ key: "apply" })}</s-link>}
          </s-stack>
        </s-section>
      )}
      {view.codes.length > 0 && (
        <s-section heading={say({ key: "codes" })}>
          <s-stack gap="small-200">
            {view.codes.map((c) => (
              <s-stack key={c.id} gap="small-300">
                <s-text>{c.name}</s-text>
                <s-text type="strong">{c.code}</s-text>
                {c.expires && <s-text color="subdued">{say(c.expires)}</s-text>}
                {c.applyUrl && <s-link href={c.applyUrl}>{say({ key: "apply" })}</s-link>}
                <s-clipboard-item id={`kembali-code-${c.id}`} text={c.code} />
                <s-button commandFor={`kembali-code-${c.id}`}>{say({ key: "copy_code" })}</s-button>
              </s-stack>
            ))}
          </s-stack>
        </s-section>
      )}
      {view.rewards.length > 0 && (
        <s-section heading={say({ key: "rewards" })}>
          <s-stack gap="small-200">
            {view.rewards.map((r) => {
              const done = outcomes[r.id];
              return (
                <s-stack key={r.id} gap="small-300">
                  <s-text type="strong">{r.name}</s-text>
                  <s-text>{r.status ? `${say(r.cost)} · ${say(r.status)}` : say(r.cost)}</s-text>
                  {done && <s-text>{done.code ? `${say(done.msg)} ${done.code}` : say(done.msg)}</s-text>}
                  {r.redeemable && (
                    <s-button disabled={redeeming !== null} onClick={() => void redeem(r.id)}>
                      {say({ key: redeeming === r.id ? "redeeming" : "redeem" })}
                    </s-button>
                  )}
                </s-stack>
              );
            })}
          </s-stack>
        </s-section>
      )}
      <s-section heading={say({ key: "history" })}>
        <s-stack gap="small-200">
          {view.history.length === 0 && <s-text color="subdued">{say({ key: "no_history" })}</s-text>}
          {view.history.map((h, i) => (
            <s-stack key={i} direction="inline" gap="small-200">
              <s-text type="strong">{h.points}</s-text>
              <s-text>{h.text ?? say(h.label)}</s-text>
              <s-text color="subdued">{h.date}</s-text>
            </s-stack>
          ))}
        </s-stack>
      </s-section>
      {view.referral && (
        <s-section heading={say({ key: "referral" })}>
          <s-stack gap="small-200">
            <s-text type="strong">{view.referral.url}</s-text>
            <s-clipboard-item id="kembali-account-referral" text={view.referral.url} />
            <s-button commandFor="kembali-account-referral">{say({ key: "copy" })}</s-button>
          </s-stack>
        </s-section>
      )}
    </s-page>
  );
}
