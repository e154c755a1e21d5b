// The demo theme's assets (issue 16): photos are real PNGs of the asked width, fonts and the
// theme script are served, anything else is a 404.
import { describe, expect, test } from "vitest";
import { themeAsset, themePhoto } from "~/demo/theme-assets.server";

const file = (url: string) => url.split("/").pop()!;

describe("demo theme assets", () => {
  test("a product photo is a PNG of the asked size, a hero banner half as high", async () => {
    for (const [name, width, height] of [
      ["product-8001", 400, 400],
      ["hero", 800, 400],
    ] as const) {
      const res = await themeAsset(file(themePhoto(name, width)));
      expect(res.headers.get("Content-Type")).toBe("image/png");
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
      // Photo-like weight: neither a flat fill nor raw pixels.
      expect(png.length).toBeGreaterThan(width * height * 0.1);
      expect(png.length).toBeLessThan(width * height * 3 * 0.5);
    }
  });

  test("fonts and the theme script are served; other names and sizes are not", async () => {
    expect((await themeAsset("inter-400.woff2")).headers.get("Content-Type")).toBe("font/woff2");
    expect((await themeAsset("theme.js")).status).toBe(200);
    for (const name of ["../package.json", "hero-333.png", "product-x-400.png", "README.md"]) {
      expect((await themeAsset(name)).status, name).toBe(404);
    }
  });
});
