// Browser-test support: a fresh SQLite database, the built app in demo mode, Debian's Chromium.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer } from "../../scripts/server.js";

export const DESKTOP_CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/**
 * The built app in demo mode on a fresh SQLite file; `seed` adds the demo shop (npm run demo's),
 * `fresh` installs it as a brand-new shop instead (npm run demo -- --fresh: onboarding first).
 */
export async function startDemoApp(name: string, port: number, { seed = false, fresh = false } = {}) {
  mkdirSync(".tmp", { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`.tmp/${name}.db${suffix}`, { force: true });
  const DATABASE_URL = `file:./.tmp/${name}.db`;
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL }, stdio: "pipe" });
  if (seed || fresh) {
    execFileSync("npx", ["tsx", "scripts/seed.ts", ...(fresh ? ["--fresh"] : [])], {
      env: { ...process.env, DATABASE_URL, DEMO_MODE: "1", HOST: "127.0.0.1", SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "" },
      stdio: "pipe",
    });
  }
  const server: { url: string; stop: () => Promise<void> } = await startServer({
    // E2E_PORT: one port for every file instead of each file's own (the files run one at a time).
    port: Number(process.env.E2E_PORT) || port,
    quiet: true,
    env: { DATABASE_URL, DEMO_MODE: "1", SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "" },
  });
  return server;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync("test-results", { recursive: true });
  return `test-results/${name}.png`;
}

/**
 * A fresh desktop context (in a browser language when given) whose page collects uncaught
 * errors and console errors (React's hydration errors among them).
 */
export async function openContext(
  browser: Browser,
  { viewport = { width: 1280, height: 900 }, locale }: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport, ...(locale ? { locale } : {}) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${String(e)}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/** Waits until React has hydrated the page (Remix's client entry has run). */
export async function hydrated(page: Page, timeout?: number): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true,
    undefined,
    timeout ? { timeout } : {},
  );
}

/** A demo storefront visit: its page, the paths it requested and its uncaught errors. */
export interface StoreVisit {
  context: BrowserContext;
  page: Page;
  requested: string[];
  errors: string[];
}

/**
 * Opens the demo store (`path`) in a fresh desktop context, logged in as the demo customer
 * `as` first (`as=` with no id logs out; null leaves the visit as it is), recording every
 * requested path and uncaught error.
 */
export async function visitStore(browser: Browser, appUrl: string, as: string | null, path = "/demo/store"): Promise<StoreVisit> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  page.on("pageerror", (e) => errors.push(String(e)));
  if (as !== null) await page.goto(`${appUrl}/demo/store?as=${as}`);
  await page.goto(`${appUrl}${path}`, { waitUntil: "load" });
  return { context, page, requested, errors };
}

/** Ends a visit: no uncaught error happened on its pages. */
export async function endVisit({ context, errors }: StoreVisit): Promise<void> {
  expect(errors).toEqual([]);
  await context.close();
}
