// Email out over SMTP (nodemailer), configured by SMTP_URL (smtp://user:pass@host:587, smtps://
// for TLS from the first byte) and SMTP_FROM (the sender address). In demo mode without SMTP_URL
// every email goes to a catcher inside this process (smtp-server on 127.0.0.1), whose inbox the
// admin shows: the real message as the SMTP server received it, parsed back.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import nodemailer, { type Transporter } from "nodemailer";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { config } from "./config.server";

export interface OutgoingMail {
  from: string;
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** The RFC 5322 Message-ID, "<...@...>": the same on every attempt of one send. */
  messageId: string;
  headers: Record<string, string>;
}

/** An SMTP failure: temporary (connection, timeout, 4xx: try again later) or permanent (5xx). */
export class MailError extends Error {
  name = "MailError";
  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message);
  }
}

export interface CaughtMail {
  id: string;
  receivedAt: Date;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

const INBOX_MAX = 200;

/** An SMTP server in this process that keeps what it receives (the demo's inbox, and tests). */
export interface MailCatcher {
  port: number;
  inbox: CaughtMail[];
  close(): Promise<void>;
}

export async function startMailCatcher(
  options: { reject?: (mail: { to: string[] }) => { code: number; message: string } | null } = {},
): Promise<MailCatcher> {
  const inbox: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 5 * 1024 * 1024,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const refused = options.reject?.({ to }) ?? null;
      simpleParser(stream)
        .then((parsed) => {
          if (refused) {
            callback(Object.assign(new Error(refused.message), { responseCode: refused.code }));
            return;
          }
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(":") + 1).trim();
          inbox.unshift({
            id: randomUUID(),
            receivedAt: new Date(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to,
            subject: parsed.subject ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            text: parsed.text ?? "",
            headers,
          });
          inbox.splice(INBOX_MAX);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // The catcher alone never keeps the process alive: the demo server exits on SIGTERM once its
  // HTTP server has closed, with the inbox's SMTP server still listening.
  server.server.unref();
  const port = (server.server.address() as AddressInfo).port;
  return { port, inbox, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let demoCatcher: Promise<MailCatcher> | null = null;
let demoMail: MailCatcher | null = null;
let transport: { url: string; transporter: Transporter } | null = null;

/** Where mail goes now: SMTP_URL, or in demo mode the in-process catcher (started on first use). */
async function smtpUrl(): Promise<string | null> {
  const url = process.env.SMTP_URL?.trim();
  if (url) return url;
  if (config.mode !== "demo") return null;
  demoCatcher ??= startMailCatcher().then((catcher) => (demoMail = catcher));
  return `smtp://127.0.0.1:${(await demoCatcher).port}`;
}

/** Whether emails can go anywhere (SMTP_URL set, or demo mode). */
export function mailConfigured(): boolean {
  return Boolean(process.env.SMTP_URL?.trim()) || config.mode === "demo";
}

/** The sender: SMTP_FROM (demo and tests: a local address) with the merchant's display name. */
export function mailFrom(displayName: string | null): string {
  const address = process.env.SMTP_FROM?.trim() || "kembali@localhost";
  if (!displayName) return address;
  return `"${displayName.replace(/["\\\r\n]/g, "")}" <${address}>`;
}

/** A Message-ID for one send: stable for its key, so a retry carries the same one. */
export function messageIdFor(sendId: string): string {
  const domain = (process.env.SMTP_FROM?.split("@")[1] ?? "kembali.local").replace(/[^a-zA-Z0-9.-]/g, "") || "kembali.local";
  return `<${sendId}@${domain}>`;
}

function classify(error: unknown): MailError {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const message = e.responseCode ? `SMTP ${e.responseCode}: ${e.message ?? ""}` : (e.message ?? String(error));
  // 5xx is the server's final no; everything else (4xx, connection, timeout, DNS) may pass later.
  return new MailError(message.slice(0, 500), !(e.responseCode && e.responseCode >= 500));
}

function transportOptions(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MailError("SMTP_URL is not a URL (smtp://user:password@host:port)", false);
  }
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") throw new MailError("SMTP_URL must start with smtp:// or smtps://", false);
  const secure = u.protocol === "smtps:";
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/** Sends one email; resolves once the SMTP server accepted it (250), throws MailError otherwise. */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const url = await smtpUrl();
  if (!url) throw new MailError("Email is not configured: set SMTP_URL and SMTP_FROM", false);
  if (!transport || transport.url !== url) {
    transport?.transporter.close();
    transport = {
      url,
      transporter: nodemailer.createTransport(transportOptions(url)),
    };
  }
  try {
    await transport.transporter.sendMail({
      from: mail.from,
      to: mail.to,
      replyTo: mail.replyTo ?? undefined,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      headers: mail.headers,
    });
  } catch (error) {
    throw classify(error);
  }
}

/** The demo inbox, newest first; empty outside demo mode or before the first email. */
export function demoInbox(): CaughtMail[] {
  return demoMail ? [...demoMail.inbox] : [];
}

export function clearDemoInbox(): void {
  if (demoMail) demoMail.inbox.length = 0;
}
