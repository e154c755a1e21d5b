import { Component, createRef, h, render, type ComponentChildren } from "preact";
import { api, requestFor, type Pending } from "./api";
import { PANEL_ID, type Config } from "./config";
import {
  applyUrl,
  claimOutcome,
  earningSentence,
  entryLabel,
  errorText,
  formatDate,
  formatNumber,
  friendReward,
  issuedBesides,
  launcherLabel,
  money,
  nextTierText,
  pointsParts,
  pointsText,
  readState,
  redeemOutcome,
  shareLinks,
  signedPoints,
  sortRewards,
  stampsText,
  tierProgress,
  tr,
  wayLabel,
  waysFor,
  welcomeOutcome,
  type Outcome,
  type Reward,
  type State,
  type Way,
} from "./format";
import type { Messages } from "./i18n";
import type { MountCard } from "./contract";

const HEADING_ID = "kembali-heading";

type Load = "idle" | "loading" | "error" | State;

interface Props {
  config: Config;
  m: Messages;
}

interface AppState {
  open: boolean;
  load: Load;
  /** What the status line at the panel's foot shows. */
  out?: Outcome;
  /** The request under way (its key); clicks wait until it is answered. */
  busy?: string;
  /** The text last copied: its button says so. */
  copied?: string;
}

const ignore = () => {};

/** A card's script, once per page (the launcher loads the panel the same way); a failed load is tried again next time. */
const cards: Record<string, Promise<MountCard> | undefined> = {};
function loadCard(name: "picked" | "survey", src: string): Promise<MountCard> {
  return (cards[name] ||= new Promise<MountCard>((ok, fail) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => {
      const mount = (customElements.get("kembali-widget") as unknown as Record<string, MountCard>)[name];
      mount ? ok(mount) : fail();
    };
    script.onerror = fail;
    document.head.append(script);
  }).catch((e) => {
    cards[name] = undefined;
    throw e;
  }));
}

// A class component: preact/hooks would cost about 1 kB gzipped of the 10 kB budget.
export class App extends Component<Props, AppState> {
  state: AppState = { open: false, load: "idle" };
  launcher = createRef<HTMLButtonElement>();
  closer = createRef<HTMLButtonElement>();
  status = createRef<HTMLDivElement>();
  unanswered: Pending | null = null;
  /** The box each card was last mounted in (a new one each time the panel opens). */
  boxes: Record<string, HTMLElement | null> = {};

  /** A member's panel shows the cards: each card's script loads only now, and it renders into its box. */
  card = (name: "picked" | "survey") => (box: HTMLElement | null) => {
    const { config, m } = this.props;
    if (!box || box == this.boxes[name]) return;
    this.boxes[name] = box;
    loadCard(name, config[name]).then((mount) => mount(box, { h, render, config, m }), ignore);
  };

  /** A friend who followed a referral link (the launcher captured it): the panel opens on their welcome code. */
  welcome(answer: unknown) {
    const { config, m } = this.props;
    const out = welcomeOutcome(m, answer, config.currency, config.lang, config.moneyFormat);
    if (out) {
      this.state.open || this.toggle();
      this.setState({ out });
    }
  }

  /** The shop's money format, for amounts in the shop's currency (what the theme shows prices in). */
  format(currency: string): string | undefined {
    const { config } = this.props;
    return currency == config.currency ? config.moneyFormat : undefined;
  }

  componentDidUpdate(_: Props, previous: AppState) {
    const { open, out } = this.state;
    const status = this.status.current!;
    if (open && !previous.open) this.closer.current!.focus();
    // A new code: on to its Copy button. An update that removed the focused control (a saved
    // form, a reward no longer affordable) leaves the shopper on the status line, not lost.
    else if (open && ((out?.code && out.code != previous.out?.code) || document.activeElement == document.body))
      (status.querySelector("button") || status).focus();
  }

  refresh = () =>
    api(this.props.config.proxy, "state?lang=" + this.props.config.lang).then((body) =>
      this.setState({ load: readState(body, this.props.config.currency) }),
    );

  fetchDetails() {
    this.setState({ load: "loading" });
    this.refresh().catch(() => this.setState({ load: "error" }));
  }

  /** One POST per click (the birthday route ignores the request id): its answer goes to the
   * status line; a success reloads the figures. */
  act(key: string, path: string, body: object, done: (answer: any) => Outcome) {
    if (this.state.busy) return;
    const { m, config } = this.props;
    const request = (this.unanswered = requestFor(this.unanswered, key));
    const finish = (out: Outcome) => this.setState({ busy: "", out });
    this.setState({ busy: key });
    api(config.proxy, path, { ...body, requestId: request.id }).then(
      (answer) => {
        this.unanswered = null;
        if (answer.error) return finish({ text: errorText(m, answer.error.code) });
        finish(done(answer));
        this.refresh().catch(ignore);
      },
      () => finish({ text: m.offline }),
    );
  }

  redeem(reward: Reward) {
    this.act(`redeem:${reward.id}`, "redeem", { rewardId: reward.id }, (a) => redeemOutcome(this.props.m, a.redemption));
  }

  claim(way: Way) {
    const { m, config } = this.props;
    this.act(`action:${way.key}`, "action", { key: way.key }, (a) => claimOutcome(m, a, config.lang));
  }

  birthday = (event: Event) => {
    event.preventDefault();
    const fields = (event.currentTarget as HTMLFormElement).elements as unknown as Record<string, HTMLSelectElement>;
    this.act("birthday", "birthday", { month: +fields.mo.value, day: +fields.d.value }, () => ({ text: this.props.m.saved }));
  };

  /** Copies the text just before the button; without clipboard access it selects that text instead. */
  copy = (event: Event) => {
    const shown = (event.currentTarget as Element).previousElementSibling!;
    const text = shown.textContent!;
    new Promise((ok) => ok(navigator.clipboard.writeText(text))).then(
      () => this.setState({ copied: text }),
      () => {
        getSelection()!.selectAllChildren(shown);
        this.setState({ out: { ...this.state.out, text: this.props.m.selected } });
      },
    );
  };

  toggle = () => {
    const { open, load } = this.state;
    // The first opening loads the details; later ones reuse them unless loading failed.
    if (!open && (load == "idle" || load == "error")) this.fetchDetails();
    this.setState({ open: !open });
  };

  close = () => {
    this.setState({ open: false });
    this.launcher.current!.focus();
  };

  retry = () => {
    // The Retry button disappears while loading; keep focus inside the panel.
    this.closer.current!.focus();
    this.fetchDetails();
  };

  onKeyDown = (event: KeyboardEvent) => {
    if (event.key == "Escape" && this.state.open) {
      event.stopPropagation();
      this.close();
    }
  };

  render({ config, m }: Props, { open, load, out }: AppState) {
    const data = typeof load == "object" ? load : null;
    const member = data?.customer;
    const label = launcherLabel(config, m, data ? (member ? member.balance : null) : config.balance);

    return (
      <>
        {open && (
          <div class="p" id={PANEL_ID} role="dialog" aria-labelledby={HEADING_ID} onKeyDown={this.onKeyDown}>
            <div class="hd">
              <h2 id={HEADING_ID}>{config.title || m.title}</h2>
              <button class="x" aria-label={m.close} ref={this.closer} onClick={this.close}>
                ×
              </button>
              {member ? <Balance a={this} data={data!} /> : data && <p>{config.customer ? m.member : m.join}</p>}
            </div>
            <div class="bd">
              {data ? (
                <Body a={this} data={data} />
              ) : load == "error" ? (
                <div role="alert">
                  <p class="msg">{m.error}</p>
                  <button class="b" onClick={this.retry}>
                    {m.retry}
                  </button>
                </div>
              ) : (
                <p class="msg" role="status">
                  {m.loading}
                </p>
              )}
            </div>
            <div class="st" role="status" tabIndex={-1} ref={this.status}>
              {out && [out.text, out.code && <Code a={this} code={out.code} />]}
            </div>
          </div>
        )}
        <button
          class="l"
          data-testid="kembali-launcher"
          aria-expanded={open}
          aria-controls={PANEL_ID}
          aria-label={label.name}
          ref={this.launcher}
          onClick={this.toggle}
          onKeyDown={this.onKeyDown}
        >
          {label.text}
        </button>
      </>
    );
  }
}

/** The text (a code, a link) and a button that copies it; `children` are more ways to share it. */
function Copy({ a, text, id, children }: { a: App; text: string; id: string; children?: ComponentChildren }) {
  const { m } = a.props;
  return (
    <div class="cp">
      <code data-testid={id}>{text}</code>
      <button class="b" onClick={a.copy}>
        {a.state.copied == text ? m.copied : m.copy}
      </button>
      {children}
    </div>
  );
}

/** A discount code: copy it, or apply it to the cart in one step. */
function Code({ a, code }: { a: App; code: string }) {
  const { config, m } = a.props;
  return (
    <Copy a={a} text={code} id="kembali-code">
      <a class="b pr" data-testid="kembali-apply" href={applyUrl(code, config.cartUrl)}>
        {m.apply}
      </a>
    </Copy>
  );
}

/** An issued reward: its name, end date and code (store credit has none). */
function Issued({ a, r }: { a: App; r: { rewardName: string; code: string | null; expiresAt: string | null } }) {
  const { m, config } = a.props;
  return (
    <li>
      <span>
        {r.rewardName}
        {r.expiresAt && <small>{tr(m, "use_by", config.lang, { date: formatDate(r.expiresAt, config.lang) })}</small>}
        {r.code ? <Code a={a} code={r.code} /> : <small>{m.credit}</small>}
      </span>
    </li>
  );
}

function Balance({ a, data }: { a: App; data: State }) {
  const { m, config } = a.props;
  const member = data.customer!;
  const locale = config.lang;
  const [before, number, after] = pointsParts(m, member.balance, locale);
  const [pendingBefore, pendingAfter] = (m.pending || "").split("{n}");
  const { tier, nextTier: next } = member;
  const progress = next && tierProgress(next);
  return (
    <div class="bal">
      <span>{m.balance}</span>
      <strong>
        {before}
        <span data-testid="kembali-balance">{number}</span>
        {after}
      </strong>
      {member.pending > 0 && (
        <small>
          {pendingBefore}
          <span data-testid="kembali-pending">{formatNumber(member.pending, locale)}</span>
          {pendingAfter}
        </small>
      )}
      {tier && <b>{tr(m, "tier", locale, { tier: tier.name })}</b>}
      {progress != null && (
        <i class="bar">
          <i style={{ width: `${progress}%` }} />
        </i>
      )}
      {next && <small>{nextTierText(m, next, data.currency, locale, a.format(data.currency))}</small>}
      {member.stamps && <small data-testid="kembali-stamps">{stampsText(m, member.stamps, locale)}</small>}
    </div>
  );
}

function Body({ a, data }: { a: App; data: State }) {
  const { config, m } = a.props;
  const { busy, out } = a.state;
  const locale = config.lang;
  const { currency, customer, referral } = data;
  const format = a.format(currency);
  const ways = waysFor(data.ways, !!customer);
  const gift = customer?.welcome;
  const mine = customer ? issuedBesides(customer.redemptions, out?.code, gift?.code) : [];
  const link = customer?.referral;
  const url = link?.url;
  const reward = referral && friendReward(referral.friendReward, currency, locale, format);
  const [whatsapp, email] = url && reward ? shareLinks(m, url, reward, locale) : [];
  return (
    <>
      {!config.customer && (
        <div class="row">
          <a class="b pr" href={config.registerUrl}>
            {m.register}
          </a>
          <a class="b" href={config.loginUrl}>
            {m.sign_in}
          </a>
        </div>
      )}
      {customer && config.survey && <div class="pk" ref={a.card("survey")} />}
      {gift && (
        <>
          <h3>{m.gift}</h3>
          <ul>
            <Issued a={a} r={gift} />
          </ul>
        </>
      )}
      {data.earning && <p class="earn">{earningSentence(m, data.earning, currency, locale, format)}</p>}
      {data.rewards.length > 0 && (
        <>
          <h3>{m.rewards}</h3>
          <ul>
            {sortRewards(data.rewards, customer ? customer.balance : 0).map((r) => {
              // Locked (exclusive to tiers the shopper is not in): which tiers unlock it. Else the
              // server's `available` says what the balance does, which also says how many more points it takes.
              const short = customer ? r.pointsCost - customer.balance : 0;
              return (
                <li key={r.id} data-testid="kembali-reward">
                  <span>
                    {r.name}
                    <small>
                      {pointsText(m, r.pointsCost, locale)}
                      {r.minimumSubtotal
                        ? ` · ${tr(m, "minimum", locale, { amount: money(r.minimumSubtotal, currency, locale, format) })}`
                        : ""}
                    </small>
                  </span>
                  {r.tiers && !r.available ? (
                    <small>{tr(m, "only", locale, { tiers: r.tiers.join(", ") })}</small>
                  ) : (
                    customer &&
                    (short > 0 ? (
                      <small>{tr(m, "need", locale, {}, short)}</small>
                    ) : (
                      <button
                        class="b"
                        data-testid="kembali-redeem"
                        aria-label={`${m.redeem}: ${r.name}`}
                        aria-disabled={busy == `redeem:${r.id}`}
                        onClick={() => a.redeem(r)}
                      >
                        {m.redeem}
                      </button>
                    ))
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {mine.length > 0 && (
        <>
          <h3>{m.mine}</h3>
          <ul>
            {mine.map((r) => (
              <Issued key={r.id} a={a} r={r} />
            ))}
          </ul>
        </>
      )}
      {customer && config.picked && <div class="pk" ref={a.card("picked")} />}
      {ways.length > 0 && (
        <>
          <h3>{m.ways}</h3>
          <ul>
            {ways.map((w) => (
              <li key={w.key}>
                <span>
                  {wayLabel(m, w)}
                  <small>{pointsText(m, w.points, locale)}</small>
                  {w.kind == "birthday" && customer && !customer.birthdaySet && <Birthday a={a} />}
                </span>
                {customer && w.kind == "action" && (
                  <button
                    class="b"
                    aria-label={`${m.claim}: ${wayLabel(m, w)}`}
                    aria-disabled={busy == `action:${w.key}`}
                    onClick={() => a.claim(w)}
                  >
                    {m.claim}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {referral && (
        <>
          <h3>{m.refer}</h3>
          <p>{tr(m, "refer_offer", locale, { reward: reward!, points: pointsText(m, referral.referrerPoints, locale) })}</p>
          {url && (
            <Copy a={a} text={url} id="kembali-referral-url">
              <a class="b" href={whatsapp} target="_blank" rel="noopener">
                {m.whatsapp}
              </a>
              <a class="b" href={email}>
                {m.email}
              </a>
            </Copy>
          )}
          {link?.checkout && (
            <>
              <p>{m.refer_code}</p>
              <Copy a={a} text={link.code} id="kembali-referral-code" />
            </>
          )}
        </>
      )}
      {customer && (
        <>
          <h3>{m.history}</h3>
          {customer.history.length ? (
            <ul>
              {customer.history.map((entry) => (
                <li>
                  <span>
                    {entryLabel(m, entry)}
                    <small>{formatDate(entry.at, locale)}</small>
                  </span>
                  <b class={entry.points > 0 ? "up" : undefined}>{signedPoints(entry.points, locale)}</b>
                </li>
              ))}
            </ul>
          ) : (
            <p class="msg">{m.no_history}</p>
          )}
        </>
      )}
    </>
  );
}

/** Month and day selects; the server refuses a day the month lacks (BAD_INPUT). */
function Birthday({ a }: { a: App }) {
  const { config, m } = a.props;
  const options = (count: number, name: (i: number) => string | number) =>
    Array.from({ length: count }, (_, i) => <option value={i + 1}>{name(i)}</option>);
  return (
    <form class="row" onSubmit={a.birthday}>
      <select name="mo" required aria-label={m.month}>
        <option value="">{m.month}</option>
        {options(12, (i) => new Date(2000, i).toLocaleString(config.lang, { month: "long" }))}
      </select>
      <select name="d" required aria-label={m.day}>
        <option value="">{m.day}</option>
        {options(31, (i) => i + 1)}
      </select>
      <button class="b pr">{m.save}</button>
    </form>
  );
}
