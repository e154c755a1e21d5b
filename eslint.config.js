// The architecture's boundaries, checked in CI (npm run lint; docs/decisions/027). Only
// boundaries: what may import what. Style is not linted here.
import tsParser from "@typescript-eslint/parser";

const files = ["app/**/*.{ts,tsx,js}", "widget/src/**/*.{ts,tsx,js}", "common/**/*.ts"];

// Demo code (app/demo) is reachable only from the demo routes, the demo seed and the demo's
// server wiring (app/deps.server.ts hands the demo shop's Shopify stand-in to the port).
const demoEntrances = [
  "app/demo/**",
  "app/routes/demo.*",
  "app/routes/apps.kembali.$.tsx",
  "app/routes/cart*.tsx",
  "app/routes/discount.$code.tsx",
  "app/deps.server.ts",
];
const noDemo = {
  group: ["**/demo/**", "~/demo/**"],
  message: "Demo code is reached only from demo routes, the demo seed and the demo wiring (app/deps.server.ts).",
};

const domainRules = [
  { group: ["**/routes/**", "~/routes/**"], message: "The domain never imports routes." },
  { group: ["**/components/**", "~/components/**"], message: "The domain never imports components." },
  {
    group: ["~/admin/**", "../admin/*", "../../admin/*", "../../../admin/*"],
    message: "The domain never imports the admin pages' view-models (app/admin): they build on the domain.",
  },
  { group: ["@remix-run/*"], message: "The domain never imports Remix." },
  { group: ["@shopify/*"], message: "The domain talks to Shopify only through the port (app/shopify/admin/port.ts) it is given." },
  {
    group: ["**/generated/**", "@prisma/*", ".prisma/*"],
    message: "The domain names database types through app/db-types.ts, never a generated client.",
  },
  {
    group: ["**/db.server", "**/db.server.*", "~/db.server"],
    message: "The domain receives the database in deps (app/deps.server.ts builds them).",
  },
  { group: ["**/log.server", "**/log.server.*", "~/log.server"], message: "The domain receives the log in deps." },
  noDemo,
];

export default [
  { ignores: ["build/**", "public/**", "generated/**", "node_modules/**", "extensions/**", "widget/dist/**"] },
  {
    files,
    languageOptions: { parser: tsParser, ecmaVersion: "latest", sourceType: "module" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["app/**/*.{ts,tsx,js}"],
    ignores: demoEntrances,
    rules: { "no-restricted-imports": ["error", { patterns: [noDemo] }] },
  },
  {
    files: ["app/domain/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: domainRules }] },
  },
  {
    files: ["widget/src/**/*.{ts,tsx,js}", "common/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/app/**", "~/*", "~/**"],
              message: "The storefront widget and common/ import nothing from app/ (shared code lives in common/).",
            },
          ],
        },
      ],
    },
  },
];
