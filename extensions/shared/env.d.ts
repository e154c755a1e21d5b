// The Shopify CLI's esbuild replaces process.env.APP_URL with the app's URL at build time.
declare const process: { env: { APP_URL?: string } };
