// The demo theme's own assets, at /demo/theme/<file>: self-hosted fonts, the theme's script and
// photos drawn here (no internet, no binary images in the repository). They give the demo
// storefront a real theme's weight, so Lighthouse measures what Kembali adds to a page like a
// shop's (issue 16, bench/lighthouse.ts). See app/demo/theme/README.md.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";

const THEME = path.resolve("app/demo/theme");
const FILES: Record<string, string> = {
  "inter-400.woff2": "font/woff2",
  "inter-600.woff2": "font/woff2",
  "theme.js": "text/javascript; charset=utf-8",
};
/** As a theme's assets on Shopify's CDN: cached for a year (the names change with their contents there). */
const CACHED = "public, max-age=31536000, immutable";

/** The photos: the hero banner and a photo per product, at the widths the pages ask for. */
const PHOTO = /^(hero|product-(\d{1,6}))-(\d{2,4})\.png$/;
const WIDTHS = new Set([160, 400, 600, 800, 1200]);
const drawn = new Map<string, Buffer>();

export async function themeAsset(file: string): Promise<Response> {
  const type = FILES[file];
  if (type) return new Response(await readFile(path.join(THEME, file)), { headers: { "Content-Type": type, "Cache-Control": CACHED } });
  const photo = PHOTO.exec(file);
  const width = Number(photo?.[3]);
  if (!photo || !WIDTHS.has(width)) return new Response("Not found", { status: 404 });
  const hero = photo[1] === "hero";
  const height = hero ? width / 2 : width;
  const seed = hero ? 7 : Number(photo[2]);
  if (!drawn.has(file)) drawn.set(file, drawPhoto(width, height, seed));
  return new Response(new Uint8Array(drawn.get(file)!), { headers: { "Content-Type": "image/png", "Cache-Control": CACHED } });
}

/** The URL of a photo at one of the widths served. */
export const themePhoto = (name: "hero" | `product-${string}`, width: number) => `/demo/theme/${name}-${width}.png`;

/**
 * A photo-like PNG: a diagonal gradient in the seed's hue with grain, which compresses about as
 * a theme's photograph does (about 0.4 bytes a pixel: 250 KB at 800 × 800).
 */
function drawPhoto(width: number, height: number, seed: number): Buffer {
  const hue = (seed * 47) % 360;
  const [r0, g0, b0] = hslToRgb(hue, 0.35, 0.78);
  const [r1, g1, b1] = hslToRgb(hue, 0.3, 0.35);
  // Grain in 8 × 8 cells, from a hash of the cell: a web-sized photograph's weight.
  const grain = (x: number, y: number) => (Math.imul((x >> 3) * 73856093 + (y >> 3) * 19349663 + seed, 83492791) >>> 28) % 6;
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0, at = 0; y < height; y++) {
    raw[at++] = 0; // no filter
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const g = grain(x, y);
      raw[at++] = r0 + (r1 - r0) * t + g;
      raw[at++] = g0 + (g1 - g0) * t + g;
      raw[at++] = b0 + (b1 - b0) * t + g;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}
