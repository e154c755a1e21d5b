// Session tokens made the way Shopify makes them for checkout and customer-account extensions:
// an HS256 JWT signed with the app's secret. The app never mints one in production; the demo
// page that plays the thank-you extension (app/routes/demo.thank-you.tsx) and the tests do, so
// both exercise the same verification as a real extension's request.
import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenClaims {
  /** The shop's myshopify domain. */
  shop: string;
  /** Shopify's numeric customer id, or null for a guest's checkout. */
  customerId: string | null;
  /** The app's client id (aud). */
  apiKey: string;
  secret: string;
  now?: Date;
  /** Seconds until it expires (Shopify's are short-lived: 5 minutes). */
  expiresIn?: number;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export function signSessionToken({ shop, customerId, apiKey, secret, now = new Date(), expiresIn = 300 }: SessionTokenClaims): string {
  const at = Math.floor(now.getTime() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      ...(customerId ? { sub: `gid://shopify/Customer/${customerId}` } : {}),
      exp: at + expiresIn,
      nbf: at - 5,
      iat: at - 5,
      jti: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}
