// The storefront widget's look and languages, as the merchant sets them in Settings: stored on
// the shop (one zod schema; old or missing data reads as the defaults) and written to Shopify
// as the shop's kembali.appearance metafield, which the app embed reads in Liquid. The theme
// editor's own settings still win when the merchant set them there (docs/decisions/011).
import { createHash } from "node:crypto";
import { z } from "zod";
import enLocale from "../../../extensions/kembali-theme/locales/en.default.json";
import idLocale from "../../../extensions/kembali-theme/locales/id.json";
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { merchantText, parseInput } from "../validation";
import { shopperState, type ShopperState } from "../storefront";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import { readSettings, type ProgramSettings } from "../earning/program";
import { currencyExponent } from "../../../common/money";

export const LANGUAGES = ["en", "id"] as const;
export type Language = (typeof LANGUAGES)[number];
export const POSITIONS = ["right", "left"] as const;
export type Position = (typeof POSITIONS)[number];

/** The widget's built-in accent (widget/src/config.ts DEFAULT_ACCENT). */
export const DEFAULT_ACCENT = "#0f766e";
/** The launcher is a small button: a longer title would wrap. */
export const TITLE_MAX = 40;

/** Shopper-facing strings per language: the theme extension's locales, bundled with the app. */
export const WIDGET_STRINGS: Record<Language, Record<string, string>> = { en: enLocale.widget, id: idLocale.widget };

const title = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), merchantText(TITLE_MAX).nullable());

export const appearanceSchema = z
  .object({
    position: z.enum(POSITIONS).default("right"),
    /** #rrggbb only: it goes into the widget's stylesheet and into Liquid unchanged. */
    accent: z
      .string()
      .trim()
      .regex(/^#[\da-f]{6}$/i, "Expected a colour as #rrggbb")
      .transform((s) => s.toLowerCase())
      .default(DEFAULT_ACCENT),
    /** Launcher and panel title per language; null: the translated "Rewards". */
    titles: z.object({ en: title.default(null), id: title.default(null) }).prefault({}),
    /** The languages shoppers get; a storefront in another language gets defaultLanguage. */
    languages: z
      .array(z.enum(LANGUAGES))
      .min(1, "Choose at least one language")
      .default([...LANGUAGES])
      .transform((list) => LANGUAGES.filter((l) => list.includes(l))),
    defaultLanguage: z.enum(LANGUAGES).default("en"),
  })
  // With no language chosen, that is the one problem to show.
  .refine((a) => a.languages.length === 0 || a.languages.includes(a.defaultLanguage), {
    path: ["defaultLanguage"],
    message: "The default language must be one of the languages shoppers get",
  });

export type Appearance = z.output<typeof appearanceSchema>;

export const DEFAULT_APPEARANCE: Appearance = appearanceSchema.parse({});

/** What the shop stored; null, old or unreadable data reads as the defaults. */
export function readAppearance(stored: unknown): Appearance {
  const parsed = appearanceSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_APPEARANCE;
}

export function parseAppearance(input: unknown): Appearance {
  return parseInput(appearanceSchema, input, "Invalid appearance");
}

/** The admin form's fields as posted (every value a string; languages repeated). */
export interface AppearanceForm {
  position: string;
  accent: string;
  titleEn: string;
  titleId: string;
  languages: string[];
  defaultLanguage: string;
}

export function appearanceForm(a: Appearance): AppearanceForm {
  return {
    position: a.position,
    accent: a.accent,
    titleEn: a.titles.en ?? "",
    titleId: a.titles.id ?? "",
    languages: [...a.languages],
    defaultLanguage: a.defaultLanguage,
  };
}

export function appearanceInput(form: AppearanceForm) {
  return {
    position: form.position,
    accent: form.accent,
    titles: { en: form.titleEn, id: form.titleId },
    languages: form.languages,
    defaultLanguage: form.defaultLanguage,
  };
}

export type AppearanceField = "position" | "accent" | "titleEn" | "titleId" | "languages" | "defaultLanguage";

/** BAD_INPUT issues → the form field each one belongs to (the route picks the message). */
export function appearanceErrorFields(issues: Array<{ path: string }>): AppearanceField[] {
  const fields = new Set<AppearanceField>();
  for (const { path } of issues) {
    const field: AppearanceField | undefined =
      path === "titles.en" ? "titleEn" : path === "titles.id" ? "titleId" : (path.split(".")[0] as AppearanceField);
    if (["position", "accent", "titleEn", "titleId", "languages", "defaultLanguage"].includes(field)) fields.add(field);
  }
  return [...fields];
}

// ---- the metafield ------------------------------------------------------------------------

/**
 * The shop's kembali.appearance metafield (json), as the app embed reads it. `strings` are the
 * default language's widget strings: Liquid's `t` filter only speaks the storefront's language,
 * so a storefront in a language that is not enabled needs the default one's from here.
 */
export interface AppearanceMetafield {
  position: Position;
  accent: string;
  titles: Partial<Record<Language, string>>;
  languages: Language[];
  defaultLanguage: Language;
  strings: Record<string, string>;
  /** What the recommendation blocks need to show "Earn N points" on a card; null: orders earn nothing. */
  earn: LiquidEarning | null;
}

/**
 * The program's base earning rate in Liquid's terms. Liquid's prices are hundredths of the
 * currency for every currency, the app's minor units are 10^exponent of it, so a product at
 * Liquid price p earns floor(p × points / per), the server's floor(minor × points / perAmount)
 * for a one-item order (app/domain/earning/earning.ts). Products the program excludes by tag or
 * collection earn nothing. Tier, campaign, product multipliers and cashback are left out:
 * the card shows what every shopper earns at least.
 */
export interface LiquidEarning {
  points: number;
  per: number;
  /** Lower-case product tags that earn nothing (Shopify tags compare case-insensitively). */
  skipTags: string[];
  /** Collection ids whose products earn nothing. */
  skipCollections: number[];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function liquidEarning(settings: ProgramSettings, currency: string): LiquidEarning | null {
  const { points, perAmount } = settings.earning;
  if (points === 0) return null;
  let n = points * 10 ** currencyExponent(currency);
  let d = perAmount * 100;
  const common = gcd(n, d);
  n /= common;
  d /= common;
  return {
    points: n,
    per: d,
    skipTags: settings.exclusions.productTags.map((t) => t.trim().toLowerCase()),
    skipCollections: settings.exclusions.collectionIds.map(Number),
  };
}

/** The shop's program, for the earning part of the metafield. */
export interface ShopProgram {
  settings: ProgramSettings;
  currency: string;
}

export function appearanceMetafield(a: Appearance, program: ShopProgram | null = null): AppearanceMetafield {
  const titles: Partial<Record<Language, string>> = {};
  for (const l of LANGUAGES) if (a.titles[l]) titles[l] = a.titles[l]!;
  return {
    position: a.position,
    accent: a.accent,
    titles,
    languages: [...a.languages],
    defaultLanguage: a.defaultLanguage,
    strings: WIDGET_STRINGS[a.defaultLanguage],
    earn: program ? liquidEarning(program.settings, program.currency) : null,
  };
}

const programOf = (row: { settings: unknown; currency: string }): ShopProgram => ({
  settings: readSettings(row.settings, row.currency),
  currency: row.currency,
});

export function metafieldDigest(value: AppearanceMetafield): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

// ---- saving and writing to Shopify --------------------------------------------------------

export async function loadAppearance(deps: Pick<Deps, "db">, shopDomain: string) {
  const row = await deps.db.shop.findUnique({
    where: { domain: shopDomain },
    select: { appearance: true, appearanceDigest: true, appearanceSyncedDigest: true },
  });
  if (!row) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return {
    appearance: readAppearance(row.appearance),
    /** Saved but not yet on the storefront (the write to Shopify is pending or being retried). */
    syncPending: row.appearanceDigest !== null && row.appearanceDigest !== row.appearanceSyncedDigest,
  };
}

/** Validates and stores the appearance (nothing changes on BAD_INPUT); the metafield write follows. */
export async function saveAppearance(deps: Pick<Deps, "db">, shopDomain: string, input: unknown): Promise<Appearance> {
  const appearance = parseAppearance(input);
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { settings: true, currency: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const { count } = await deps.db.shop.updateMany({
    where: { domain: shopDomain },
    data: { appearance, appearanceDigest: metafieldDigest(appearanceMetafield(appearance, programOf(shop))) },
  });
  if (count !== 1) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return appearance;
}

/**
 * After the program changed (its earning rate or exclusions): the metafield the blocks read
 * must change too, so the shop is marked for syncAppearance, also when the merchant never
 * saved an appearance (the defaults are written then).
 */
export async function programChanged(db: Deps["db"], shopDomain: string): Promise<void> {
  const row = await db.shop.findUnique({
    where: { domain: shopDomain },
    select: { appearance: true, settings: true, currency: true, appearanceDigest: true },
  });
  if (!row) return;
  const digest = metafieldDigest(appearanceMetafield(readAppearance(row.appearance), programOf(row)));
  if (digest !== row.appearanceDigest) await db.shop.update({ where: { domain: shopDomain }, data: { appearanceDigest: digest } });
}

const LEASE_MS = 5 * 60_000;

type SyncDeps = Pick<Deps, "db" | "clock"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> };

/**
 * Writes the metafield of every shop whose saved appearance is not yet in Shopify (or only the
 * one given). A lease on the shop keeps two servers from writing at once, so the last write is
 * the latest save; a failed write leaves the shop stale, and the next run tries again.
 */
export async function syncAppearance(
  deps: SyncDeps,
  { shopDomain, limit = 50 }: { shopDomain?: string; limit?: number } = {},
): Promise<{ written: number; failed: Array<{ shop: string; error: unknown }> }> {
  const { fields } = deps.db.shop;
  const stale = await deps.db.shop.findMany({
    where: {
      ...(shopDomain ? { domain: shopDomain } : {}),
      uninstalledAt: null,
      appearanceDigest: { not: null },
      OR: [{ appearanceSyncedDigest: null }, { appearanceSyncedDigest: { not: { equals: fields.appearanceDigest } } }],
    },
    select: { id: true, domain: true },
    take: limit,
  });
  let written = 0;
  const failed: Array<{ shop: string; error: unknown }> = [];
  for (const shop of stale) {
    const now = deps.clock();
    const { count } = await deps.db.shop.updateMany({
      where: { id: shop.id, OR: [{ appearanceLockedUntil: null }, { appearanceLockedUntil: { lt: now } }] },
      data: { appearanceLockedUntil: new Date(now.getTime() + LEASE_MS) },
    });
    if (count !== 1) continue; // another server is writing it; it checks again when done
    // Read after taking the lease: a save made while an earlier write was in flight is written now.
    const row = await deps.db.shop.findUniqueOrThrow({
      where: { id: shop.id },
      select: { appearance: true, appearanceDigest: true, settings: true, currency: true },
    });
    const value = appearanceMetafield(readAppearance(row.appearance), programOf(row));
    const digest = metafieldDigest(value);
    try {
      await (await deps.shopifyFor(shop.domain)).setAppearanceMetafield(value);
    } catch (error) {
      await deps.db.shop.update({ where: { id: shop.id }, data: { appearanceLockedUntil: null } });
      failed.push({ shop: shop.domain, error });
      continue;
    }
    // The strings may have changed with a deploy since the save: what was written is what should be there,
    // unless the merchant saved again meanwhile (then the digests differ and the next run writes that).
    const unchanged = await deps.db.shop.updateMany({
      where: { id: shop.id, appearanceDigest: row.appearanceDigest },
      data: { appearanceDigest: digest, appearanceSyncedDigest: digest, appearanceLockedUntil: null },
    });
    if (unchanged.count === 0) {
      await deps.db.shop.update({ where: { id: shop.id }, data: { appearanceSyncedDigest: digest, appearanceLockedUntil: null } });
    }
    written += 1;
  }
  return { written, failed };
}

/**
 * After a deploy that changed the widget's strings (or what the metafield carries), what each
 * shop's metafield should hold changed too: marks those shops stale so syncAppearance writes
 * them again. Shops that never saved an appearance get the defaults written (the recommendation
 * blocks need the earning rate from it).
 */
export async function refreshAppearanceDigests(deps: Pick<Deps, "db">): Promise<number> {
  let marked = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await deps.db.shop.findMany({
      where: { uninstalledAt: null },
      select: { id: true, appearance: true, appearanceDigest: true, settings: true, currency: true },
      orderBy: { id: "asc" },
      take: 200,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of rows) {
      const digest = metafieldDigest(appearanceMetafield(readAppearance(row.appearance), programOf(row)));
      if (digest === row.appearanceDigest) continue;
      const { count } = await deps.db.shop.updateMany({
        where: { id: row.id, appearanceDigest: row.appearanceDigest },
        data: { appearanceDigest: digest },
      });
      marked += count;
    }
    if (rows.length < 200) return marked;
    cursor = rows.at(-1)!.id;
  }
}

// ---- what the storefront shows ------------------------------------------------------------

/** The app embed's theme-editor settings; "" or "app" means "use the app's setting". */
export interface ThemeEditorSettings {
  position?: string;
  accent?: string;
  title?: string;
}

export interface WidgetLook {
  /** data-locale: the storefront's language, or the default one when it is not enabled. */
  locale: string;
  position: Position;
  accent: string;
  /** data-on-accent: the text colour readable on the accent. */
  onAccent: string;
  title: string;
  strings: Record<string, string>;
}

/**
 * What the app embed renders, step for step as extensions/kembali-theme/blocks/app_embed.liquid
 * does (a test renders the Liquid and compares): the theme editor's setting when the merchant
 * set one, else the app's metafield, else the built-in defaults. `themeStrings` is what Liquid's
 * `t` filter gives for the storefront's language.
 */
export function widgetLook(input: {
  storefrontLocale: string;
  theme: ThemeEditorSettings;
  metafield: AppearanceMetafield | null;
  themeStrings: Record<string, string>;
}): WidgetLook {
  const { theme, metafield: app } = input;
  let locale = input.storefrontLocale;
  const lang = locale.toLowerCase().slice(0, 2);
  let strings = input.themeStrings;
  let fallback = false;
  if (app?.languages && !(app.languages as string[]).includes(lang)) {
    locale = app.defaultLanguage;
    strings = app.strings;
    fallback = true;
  }
  const position = theme.position === "left" || theme.position === "right" ? theme.position : app?.position === "left" ? "left" : "right";
  const accent = theme.accent?.trim() || app?.accent || DEFAULT_ACCENT;
  const langKey = (fallback ? locale : lang) as Language;
  const title = theme.title?.trim() || app?.titles?.[langKey]?.trim() || strings.title;
  return { locale, position, accent, onAccent: textOnAccent(accent), title, strings };
}

/** WCAG contrast ratio of two #rrggbb colours, as Liquid's color_contrast filter gives it. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black text on the accent, whichever contrasts more (app_embed.liquid does the same). */
export function textOnAccent(accent: string): string {
  return /^#[0-9a-f]{6}$/i.test(accent) && contrastRatio(accent, "#ffffff") < contrastRatio(accent, "#000000") ? "#1a1a1a" : "#fff";
}

// ---- the admin's live preview -------------------------------------------------------------

/** The shop's real catalogue and ways to earn, seen by a sample member who can afford the cheapest reward. */
export async function previewState(deps: Pick<Deps, "db" | "clock">, shopDomain: string): Promise<ShopperState> {
  const guest = await shopperState(deps, shopDomain, null);
  const balance = guest.rewards.length > 0 ? Math.min(...guest.rewards.map((r) => r.pointsCost)) : 500;
  return {
    ...guest,
    rewards: guest.rewards.map((r) => ({
      ...r,
      available: balance >= r.pointsCost,
      unavailableReason: balance >= r.pointsCost ? null : "not_enough_points",
    })),
    customer: {
      balance,
      pending: 0,
      history: [],
      birthdaySet: false,
      referral: null,
      tier: null,
      nextTier: null,
      redemptions: [],
      welcome: null,
      stamps: null,
    },
  };
}
