// The app's HTTP server (npm start; the demo, the browser tests and the benchmark start it
// through scripts/server.js): Express with Remix's adapter, serving build/ and public/ with
// remix-serve's caching. Ours rather than remix-serve because routes need the socket's peer
// address (the load context's remoteAddress), and demo mode refuses, before any route runs,
// every request that did not come straight from this computer.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler as expressHandler } from "@remix-run/express";
import { broadcastDevReady, createRequestHandler, installGlobals } from "@remix-run/node";
import { crossSiteRefusal, demoRefusal } from "./app/demo-guard.js";

process.env.NODE_ENV ??= "production";
const mode = process.env.NODE_ENV;
// Importing the build loads the app's configuration, which refuses a bad one (demo mode off
// loopback, demo or test mode beside real credentials) before anything listens.
const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });
const demo = process.env.DEMO_MODE === "1";

// The app's own in-process requests (the demo storefront's stand-in for Shopify's App Proxy)
// go straight to Remix with the caller's context: they never meet the socket checks, and only
// app code can make them.
const remix = createRequestHandler(build, mode);
function loadContext(remoteAddress) {
  const context = { remoteAddress, internalFetch: (request) => remix(request, context) };
  return context;
}

const app = express();
app.disable("x-powered-by");
if (demo) {
  app.use((req, res, next) => {
    const refusal =
      demoRefusal({
        remoteAddress: req.socket.remoteAddress,
        hostname: hostnameOf(req.headers.host),
        headerNames: Object.keys(req.headers),
        httpVersion: req.httpVersion,
      }) ??
      // Another site's page posting here. A POST with no Origin at all (curl, a signed webhook)
      // goes on: the admin and the demo routes refuse it themselves (app/demo.server.ts).
      (req.headers.origin === undefined
        ? null
        : crossSiteRefusal({ method: req.method, origin: req.headers.origin, url: `http://${req.headers.host}/` }));
    if (refusal) res.status(403).type("text/plain").send(refusal);
    else next();
  });
}
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", expressHandler({ build, mode, getLoadContext: (req) => loadContext(req.socket.remoteAddress) }));

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST;
const onListen = () => {
  console.log(`[kembali] http://${host ?? "localhost"}:${port}${demo ? " (demo mode, this computer only)" : ""}`);
  // Under `remix dev` (npm run dev), which sets REMIX_DEV_ORIGIN: tell it this build is served.
  if (mode === "development" && process.env.REMIX_DEV_ORIGIN) void broadcastDevReady(build);
};
// The storefront's hottest call, GET /proxy/state, is answered from its stored answer when that
// is current (one prepared read; docs/decisions/040-storefront-state-snapshot.md) before Express
// and Remix; otherwise, and for everything else, the app answers. Not in demo mode, whose
// guard runs in Express for every request (and whose storefront calls the route in-process).
const { storedState, useStateBuild } = build.entry.module;
useStateBuild(
  createHash("sha256")
    .update(readFileSync(path.resolve("build/index.js")))
    .digest("hex")
    .slice(0, 16),
);
// X-Kembali-State says the answer was the stored one (for tests and benchmarks).
const stateHeaders = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Kembali-State": "stored" };
function serve(req, res) {
  if (demo || req.method !== "GET" || !req.url.startsWith("/proxy/state?")) return app(req, res);
  storedState(req.url.slice(req.url.indexOf("?"))).then(
    (body) => {
      if (body === null) return app(req, res);
      res.writeHead(200, { ...stateHeaders, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    },
    () => app(req, res),
  );
}
const server = createServer(serve);
if (host) server.listen(port, host, onListen);
else server.listen(port, onListen);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
  });
}

/** The host name of a Host header as a URL writes it ("[::1]" for IPv6), or null. */
function hostnameOf(hostHeader) {
  try {
    return hostHeader ? new URL(`http://${hostHeader}`).hostname : null;
  } catch {
    return null;
  }
}
