// Rendering a message: every value is text in the HTML part, links must be http(s), a paragraph
// whose variable has no value is left out, the text part carries the same words and the
// unsubscribe link, and a template may only use the variables that exist.
import { describe, expect, test } from "vitest";
import { renderEmail, unknownVariables, defaultTemplate, type Variables } from "~/domain/messages/compose";
import { MESSAGE_KEYS, TEMPLATE_VARIABLES } from "~/domain/messages/catalog";
import { DEFAULT_MESSAGES_SETTINGS, messagesSettingsSchema } from "~/domain/messages/settings";

const empty = Object.fromEntries(TEMPLATE_VARIABLES.map((v) => [v, ""])) as Variables;
const vars = (more: Partial<Variables>): Variables => ({ ...empty, name: "Ana", shop_name: "Toko", ...more });
const frame = {
  locale: "en" as const,
  shopName: "Toko",
  links: { unsubscribe: "https://app.example/messages/unsubscribe?t=abc", open: "https://app.example/messages/open?t=def" },
  toMerchant: false,
};

describe("renderEmail", () => {
  test("a name or comment with HTML stays text in the HTML part and reads as typed in the text part", () => {
    const mail = renderEmail(
      { subject: "Hi {{name}}", body: "Hello {{name}}\n\nYou said: {{comment}}" },
      vars({ name: '<script>alert("x")</script>', comment: "<b>late</b> & broken" }),
      frame,
    );
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>late</b>");
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(mail.html).toContain("&lt;b&gt;late&lt;/b&gt; &amp; broken");
    expect(mail.text).toContain('Hello <script>alert("x")</script>');
    expect(mail.subject).toBe('Hi <script>alert("x")</script>');
  });

  test("the merchant's own subject and body are text too: their HTML is escaped, their variables still filled", () => {
    const hostile = `<img src=x onerror=alert(1)><script>alert(1)</script>"'&`;
    const mail = renderEmail(
      { subject: `${hostile} {{name}}`, body: `${hostile} {{name}}\n\n<a href="javascript:alert(1)">x</a>` },
      vars({}),
      frame,
    );
    expect(mail.html).not.toContain("<img src=x");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain('<a href="javascript');
    expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp; Ana");
    expect(mail.html).toContain(`<title>&lt;img src=x`);
    expect(mail.text).toContain(`${hostile} Ana`);
    expect(mail.subject).toBe(`${hostile} Ana`);
  });

  test("a paragraph whose variable has no value is left out; the others stay in order", () => {
    const mail = renderEmail(
      { subject: "s", body: "First {{name}}\n\nYour code: {{code}}\n\nLast {{balance}}" },
      vars({ balance: "1,200" }),
      frame,
    );
    expect(mail.text.split("\n\n").slice(0, 2)).toEqual(["First Ana", "Last 1,200"]);
    expect(mail.html).not.toContain("Your code");
  });

  test("links are anchors in HTML and plain URLs in text; the unsubscribe link and open pixel are there", () => {
    const mail = renderEmail(
      { subject: "s", body: "Share: {{referral_link}}" },
      vars({ referral_link: { href: "https://toko.myshopify.com/?ref=ABCD2345", label: "https://toko.myshopify.com/?ref=ABCD2345" } }),
      frame,
    );
    expect(mail.html).toContain('<a href="https://toko.myshopify.com/?ref=ABCD2345"');
    expect(mail.text).toContain("Share: https://toko.myshopify.com/?ref=ABCD2345");
    expect(mail.html).toContain('href="https://app.example/messages/unsubscribe?t=abc"');
    expect(mail.html).toContain('<img src="https://app.example/messages/open?t=def"');
    expect(mail.text).toContain("Unsubscribe from these emails: https://app.example/messages/unsubscribe?t=abc");
  });

  test("an unsubscribe or pixel URL that is not http(s) is dropped; the merchant's own alerts carry no footer", () => {
    const mail = renderEmail({ subject: "s", body: "x {{name}}" }, vars({}), {
      ...frame,
      links: { unsubscribe: "javascript:alert(1)", open: "data:image/gif;base64,AAAA" },
    });
    expect(mail.html).not.toContain("javascript:");
    expect(mail.html).not.toContain("data:image");
    const alert = renderEmail({ subject: "s", body: "x" }, vars({}), { ...frame, toMerchant: true });
    expect(alert.html).not.toContain("Unsubscribe");
    expect(alert.text).toBe("x");
  });

  test("product cards: escaped titles, prices and links; as lines in the text part", () => {
    const mail = renderEmail(
      { subject: "s", body: "Look:\n\n{{products}}" },
      vars({
        products: [{ title: 'Kopi "Gayo" <1kg>', url: "https://toko.myshopify.com/products/kopi", imageUrl: null, price: "Rp 120.000" }],
      }),
      frame,
    );
    expect(mail.html).toContain("Kopi &quot;Gayo&quot; &lt;1kg&gt;");
    expect(mail.html).toContain('href="https://toko.myshopify.com/products/kopi"');
    expect(mail.text).toContain('Kopi "Gayo" <1kg> (Rp 120.000)\nhttps://toko.myshopify.com/products/kopi');
  });

  test("an unknown {{variable}} is left as typed when rendering, and refused when saved", () => {
    expect(unknownVariables("Hi {{name}} {{nmae}} {{ balance }}")).toEqual(["nmae"]);
    const parsed = messagesSettingsSchema.safeParse({
      messages: { welcome: { enabled: true, subject: { en: "Hi {{nmae}}", id: null }, body: { en: null, id: null } } },
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("{{nmae}}");
  });
});

describe("the built-in templates", () => {
  test("every message has an English and an Indonesian subject and body using only known variables", () => {
    for (const key of MESSAGE_KEYS) {
      for (const locale of ["en", "id"] as const) {
        const t = defaultTemplate(key, locale);
        expect(t.subject.length, `${key} ${locale}`).toBeGreaterThan(3);
        expect(unknownVariables(t.subject + t.body), `${key} ${locale}`).toEqual([]);
      }
      expect(defaultTemplate(key, "en").body).not.toBe(defaultTemplate(key, "id").body);
    }
  });

  test("every message is off until the merchant turns it on", () => {
    expect(MESSAGE_KEYS.every((k) => DEFAULT_MESSAGES_SETTINGS.messages[k].enabled === false)).toBe(true);
  });
});
