// The built storefront widget (the theme extension's assets), served by the app itself for the
// demo storefront and for the admin's live preview. These are the same public files every
// storefront loads; nothing else in the folder is reachable.
import { readFile } from "node:fs/promises";
import path from "node:path";

const ASSETS = path.resolve("extensions/kembali-theme/assets");

export async function readAsset(file: string): Promise<Response> {
  // Only plain asset names from the extension folder.
  if (!/^[\w-]+\.(js|css)$/.test(file)) return new Response("Not found", { status: 404 });
  try {
    const body = await readFile(path.join(ASSETS, file));
    const type = file.endsWith(".js") ? "text/javascript" : "text/css";
    return new Response(body, { headers: { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-store" } });
  } catch {
    return new Response("Not found (run npm run build:widget)", { status: 404 });
  }
}
