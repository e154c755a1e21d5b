import { Component, createRef } from "preact";
import type { Config } from "./config";
import {
  earningSentence,
  entryLabel,
  formatNumber,
  formatDate,
  launcherLabel,
  pointsParts,
  readState,
  signedPoints,
  type Member,
  type State,
  type StateBody,
} from "./format";
import type { Messages } from "./i18n";

export const PANEL_ID = "kembali-panel";
const HEADING_ID = "kembali-heading";

type Load = "idle" | "loading" | "error" | State;

async function fetchState(config: Config): Promise<State> {
  const response = await fetch(`${config.proxy}/state`, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`state ${response.status}`);
  return readState((await response.json()) as StateBody, config.currency);
}

interface Props {
  config: Config;
  m: Messages;
}

interface AppState {
  open: boolean;
  load: Load;
}

// A class component: preact/hooks would cost about 1 kB gzipped of the 10 kB budget.
export class App extends Component<Props, AppState> {
  state: AppState = { open: false, load: "idle" };
  launcher = createRef<HTMLButtonElement>();
  closer = createRef<HTMLButtonElement>();

  componentDidUpdate(_: Props, previous: AppState) {
    if (this.state.open && !previous.open) this.closer.current!.focus();
  }

  fetchDetails() {
    this.setState({ load: "loading" });
    fetchState(this.props.config).then(
      (load) => this.setState({ load }),
      () => this.setState({ load: "error" }),
    );
  }

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

  render({ config, m }: Props, { open, load }: AppState) {
    const data = typeof load == "object" ? load : null;
    const member = data?.customer;
    const label = launcherLabel(config, m, data ? (member ? member.balance : null) : config.balance);

    return (
      <>
        {open && (
          <div class="p" id={PANEL_ID} role="dialog" aria-labelledby={HEADING_ID} onKeyDown={this.onKeyDown}>
            <div class="hd">
              <h2 id={HEADING_ID}>{config.title || m.title}</h2>
              <button type="button" class="x" aria-label={m.close} ref={this.closer} onClick={this.close}>
                ×
              </button>
              {member ? (
                <Balance m={m} member={member} locale={config.lang} />
              ) : (
                data && <p>{config.customer ? m.member : m.join}</p>
              )}
            </div>
            <div class="bd">
              {data ? (
                <Body config={config} m={m} data={data} />
              ) : load == "error" ? (
                <div role="alert">
                  <p class="msg">{m.error}</p>
                  <button type="button" class="b" onClick={this.retry}>
                    {m.retry}
                  </button>
                </div>
              ) : (
                <p class="msg" role="status">
                  {m.loading}
                </p>
              )}
            </div>
          </div>
        )}
        <button
          type="button"
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

function Balance({ m, member, locale }: { m: Messages; member: Member; locale: string }) {
  const [before, number, after] = pointsParts(m, member.balance, locale);
  const [pendingBefore, pendingAfter] = m.pending.split("{n}");
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
    </div>
  );
}

function Body({ config, m, data }: Props & { data: State }) {
  const locale = config.lang;
  const history = data.customer?.history;
  return (
    <>
      {data.earning && <p class="earn">{earningSentence(m, data.earning, data.currency, locale)}</p>}
      {history ? (
        <>
          <h3>{m.history}</h3>
          {history.length ? (
            <ul>
              {history.map((entry) => (
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
            <p class="msg">{m.noHistory}</p>
          )}
        </>
      ) : (
        !config.customer && (
          <div class="row">
            <a class="b pr" href={config.registerUrl}>
              {m.register}
            </a>
            <a class="b" href={config.loginUrl}>
              {m.signIn}
            </a>
          </div>
        )
      )}
    </>
  );
}
