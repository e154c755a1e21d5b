// Runs a checkout or customer-account UI extension's bundle in a Node vm, the way Shopify's
// extension sandbox runs it: a `shopify` global (session token, i18n from the extension's own
// locales file, the order, `extend` recording the targets) and a small DOM for Preact to
// render into, with a `fetch` that answers from the test's table. Used by the unit smoke test
// (test/unit/extensions-smoke.test.ts) and after the Shopify CLI build (scripts/build-extensions.js).
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";

class FakeNode {
  constructor(nodeType, localName, data = "") {
    this.nodeType = nodeType;
    this.localName = localName;
    this.nodeName = localName ? localName.toUpperCase() : "#text";
    this.data = data;
    this.childNodes = [];
    this.parentNode = null;
    this.attributes = {};
    this.listeners = {};
    this.style = { setProperty() {} };
  }
  get firstChild() {
    return this.childNodes[0] ?? null;
  }
  get nextSibling() {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  appendChild(child) {
    return this.insertBefore(child, null);
  }
  insertBefore(child, ref) {
    child.parentNode?.removeChild(child);
    const at = ref ? this.childNodes.indexOf(ref) : -1;
    if (at < 0) this.childNodes.push(child);
    else this.childNodes.splice(at, 0, child);
    child.parentNode = this;
    return child;
  }
  removeChild(child) {
    const at = this.childNodes.indexOf(child);
    if (at >= 0) this.childNodes.splice(at, 1);
    child.parentNode = null;
    return child;
  }
  remove() {
    this.parentNode?.removeChild(this);
  }
  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }
  getAttribute(name) {
    return this.attributes[name] ?? null;
  }
  removeAttribute(name) {
    delete this.attributes[name];
  }
  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }
  removeEventListener(type, fn) {
    this.listeners[type] = (this.listeners[type] ?? []).filter((f) => f !== fn);
  }
  /** Fires an event as the host would (a click, an input with the new value). */
  fire(type, props = {}) {
    Object.assign(this, props);
    const event = { type, target: this, currentTarget: this, preventDefault() {}, stopPropagation() {} };
    for (const fn of this.listeners[type] ?? []) fn.call(this, event);
  }
  get textContent() {
    return this.nodeType === 3 ? this.data : this.childNodes.map((c) => c.textContent).join("");
  }
  /** Every element below this one named `name` (e.g. "s-button"), in document order. */
  all(name) {
    const found = [];
    for (const c of this.childNodes) {
      if (c.localName === name) found.push(c);
      found.push(...c.all(name));
    }
    return found;
  }
}
// Preact names an event listener by the lower-cased prop when the element has that property.
for (const type of ["click", "input", "change", "copy"]) FakeNode.prototype[`on${type}`] = null;

function fakeDocument() {
  const body = new FakeNode(1, "body");
  return {
    body,
    createElement: (name) => new FakeNode(1, name),
    createElementNS: (_ns, name) => new FakeNode(1, name),
    createTextNode: (data) => new FakeNode(3, null, String(data)),
  };
}

const signal = (value) => ({ value, subscribe: () => () => {} });

/**
 * Loads `code` (an extension's bundle) with `order` as the page's order (a GID) and `routes`
 * answering fetch by "METHOD /path" → { status, body }. Returns the targets it registered,
 * `run(target)` to render one, the DOM, and every request sent.
 */
export function loadExtension(
  code,
  { locale = "en", localesDir, order = "gid://shopify/Order/6001", token = "signed.token", routes = {} },
) {
  const strings = JSON.parse(readFileSync(`${localesDir}/${locale === "en" ? "en.default" : locale}.json`, "utf8"));
  const translate = (key, vars = {}) =>
    (strings[key] ?? key).replace(/\{\{(\w+)\}\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  const targets = new Map();
  const requests = [];
  const document = fakeDocument();
  const shopify = {
    extend: (target, fn) => targets.set(target, fn),
    sessionToken: { get: async () => token },
    i18n: { translate, formatNumber: (n) => String(n) },
    localization: { language: signal({ isoCode: locale }), extensionLanguage: signal({ isoCode: locale }) },
    orderConfirmation: signal({ order: { id: order.replace("/Order/", "/OrderIdentity/") }, number: "1001" }),
    order: signal({ id: order, name: "#1001" }),
  };
  const fetch = async (url, init = {}) => {
    const u = new URL(url);
    const request = {
      url: String(url),
      method: init.method ?? "GET",
      headers: init.headers ?? {},
      body: init.body ? JSON.parse(init.body) : null,
    };
    requests.push(request);
    const answer = routes[`${request.method} ${u.pathname}`];
    if (!answer) return { ok: false, status: 404, json: async () => ({ error: { code: "NOT_FOUND", message: "no route" } }) };
    const body = typeof answer.body === "function" ? answer.body(request) : answer.body;
    return { ok: answer.status < 300, status: answer.status, json: async () => body };
  };
  runInNewContext(code, {
    shopify,
    document,
    fetch,
    URL,
    // Shopify's extension worker has Web Crypto (the account page's redeem request ids).
    crypto: globalThis.crypto,
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    requestAnimationFrame: (cb) => setTimeout(cb, 0),
    cancelAnimationFrame: (id) => clearTimeout(id),
  });
  return {
    targets: [...targets.keys()],
    run: (target) => targets.get(target)?.(shopify),
    body: document.body,
    requests,
  };
}

/** Waits until `check()` is truthy (the extension renders after its fetches), or throws. */
export async function until(check, what = "the extension to render", ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
