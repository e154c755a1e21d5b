// Settings → Widget appearance in a real browser (demo mode): the preview frame shows the real
// widget with the shop's rewards; typing a new accent colour changes the preview before saving;
// saving puts it on the demo storefront (through the in-memory Shopify's appearance metafield).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-appearance", 3551, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const launcherColour = (where: Page | Frame) =>
  where.getByTestId("kembali-launcher").evaluate((el) => getComputedStyle(el).backgroundColor);

async function previewFrame(page: Page): Promise<Frame> {
  const handle = await page.getByTestId("appearance-preview").elementHandle();
  const frame = await handle!.contentFrame();
  await frame!.getByTestId("kembali-launcher").waitFor();
  return frame!;
}

describe("settings: widget appearance with a live preview", () => {
  test("changing the colour changes the preview at once; saving puts it on the storefront", async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${app.url}/app/settings?locale=en`);

    const frame = await previewFrame(page);
    await expect(frame.getByTestId("preview-label").textContent()).resolves.toContain("Preview");
    // The seeded coffee brown, the panel open with the shop's real rewards.
    await expect.poll(() => launcherColour(frame)).toBe("rgb(111, 78, 55)");
    await frame.getByRole("dialog").waitFor();

    const accent = page.getByLabel("Accent colour");
    await accent.fill("#aa0000");
    await expect.poll(() => launcherColour(frame), { timeout: 5_000 }).toBe("rgb(170, 0, 0)");
    await page.getByLabel("Title in English").fill("Kopi Club");
    await expect.poll(() => frame.getByRole("dialog").getByRole("heading").first().textContent()).toBe("Kopi Club");
    await page.getByTestId("appearance-preview").scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("admin-appearance-preview"), fullPage: true });

    // Not saved yet: the storefront still has the saved colour.
    const shopper = await context.newPage();
    await shopper.goto(`${app.url}/demo/store?locale=en`);
    await expect.poll(() => launcherColour(shopper)).toBe("rgb(111, 78, 55)");

    // A colour that is not #rrggbb is refused with the field marked, and changes nothing.
    await accent.fill("#aa00");
    await page.getByRole("button", { name: "Save appearance" }).click();
    await page.getByText("Nothing was saved. Fix the fields marked below.").waitFor();
    await page.getByText("Enter a colour as # and 6 hex digits").waitFor();

    await accent.fill("#aa0000");
    await page.getByRole("button", { name: "Save appearance" }).click();
    await page.getByText("Appearance saved.").waitFor();
    await shopper.reload();
    await expect.poll(() => launcherColour(shopper)).toBe("rgb(170, 0, 0)");
    await expect(shopper.getByTestId("kembali-launcher").textContent()).resolves.toContain("Kopi Club");
    await shopper.screenshot({ path: screenshotPath("admin-appearance-storefront") });

    expect(errors).toEqual([]);
    await context.close();
  });
});
