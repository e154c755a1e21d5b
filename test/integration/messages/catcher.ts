// A local SMTP server for the messages tests: records every message it is given (its raw MIME
// and whether it was accepted) and answers each DATA with the next queued code (250 when none).
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Caught {
  to: string[];
  raw: string;
  code: number;
  accepted: boolean;
}

export async function startCatcher() {
  const received: Caught[] = [];
  const answers: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const code = answers.shift() ?? 250;
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          code,
          accepted: code === 250,
        });
        if (code === 250) return callback();
        const error = Object.assign(new Error(code < 500 ? "Try again later" : "Mailbox unavailable"), { responseCode: code });
        callback(error);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The next DATA commands are answered with these codes. */
    answer: (...codes: number[]) => answers.push(...codes),
    to: (address: string) => received.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A MIME message's headers (lower-case names, unfolded) and its decoded text and html parts. */
export function parseMail(raw: string): { headers: Record<string, string>; text: string; html: string } {
  const out = { headers: {} as Record<string, string>, text: "", html: "" };
  walk(raw, out, true);
  return out;
}

function split(raw: string) {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decode(body: string, encoding: string | undefined): string {
  const e = (encoding ?? "").toLowerCase();
  if (e === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (e === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
    // Percent-decoding; a literal % is escaped first.
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, "%25"));
  }
  return body;
}

function walk(raw: string, out: { headers: Record<string, string>; text: string; html: string }, top: boolean) {
  const { headers, body } = split(raw);
  if (top) out.headers = headers;
  const type = headers["content-type"] ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith("--")) break;
      walk(part.replace(/^\r?\n/, ""), out, false);
    }
    return;
  }
  const text = decode(body, headers["content-transfer-encoding"]);
  if (/^text\/html/i.test(type)) out.html += text;
  else if (/^text\/plain/i.test(type)) out.text += text;
}
