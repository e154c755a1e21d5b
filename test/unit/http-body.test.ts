import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { DRAIN_BODY_BYTES, readLimitedBody } from "~/http.server";

const status = (p: Promise<unknown>) =>
  p.then(
    () => "read",
    (e) => (e instanceof Response ? e.status : String(e)),
  );

describe("readLimitedBody", () => {
  it("GIVEN a body within the limit THEN returns its exact bytes", async () => {
    const body = await readLimitedBody(new Request("http://x/", { method: "POST", body: "héllo" }), 10);
    expect(body.toString("utf8")).toBe("héllo");
  });

  it("GIVEN a declared Content-Length over the limit THEN 413, the body read to its end and none of it kept", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2_000_000) return controller.close();
        sent += 100_000;
        controller.enqueue(new Uint8Array(100_000));
      },
    });
    const request = new Request("http://x/", {
      method: "POST",
      body: stream,
      headers: { "Content-Length": "2000000" },
      duplex: "half",
    } as RequestInit);
    expect(await status(readLimitedBody(request, 1_000_000))).toBe(413);
    expect(sent).toBe(2_000_000);
  });

  it("GIVEN a declared Content-Length past what is drained THEN 413 without reading a byte", async () => {
    let pulled = false;
    const stream = new ReadableStream({
      pull() {
        pulled = true;
      },
    });
    const request = new Request("http://x/", {
      method: "POST",
      body: stream,
      headers: { "Content-Length": String(DRAIN_BODY_BYTES + 1) },
      duplex: "half",
    } as RequestInit);
    expect(await status(readLimitedBody(request, 1_000_000))).toBe(413);
    expect(pulled).toBe(false);
  });

  it("GIVEN a malformed Content-Length THEN 413 (never parsed as a smaller number)", async () => {
    const request = new Request("http://x/", { method: "POST", body: "{}", headers: { "Content-Length": "1e9" } });
    expect(await status(readLimitedBody(request, 100))).toBe(413);
  });

  it("GIVEN an endless undeclared body THEN 413 and the stream is cut off once the drain limit is passed", async () => {
    let sent = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(await status(readLimitedBody(request, 1_000_000))).toBe(413);
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThan(DRAIN_BODY_BYTES + 1_000_000);
  });

  // Over a real socket, through the request stream the app's server adapter makes: a client
  // sending 3 MB must read the 413, not meet a connection reset while it is still writing.
  it.each([
    ["declared", true],
    ["chunked", false],
  ])("GIVEN 3 MB sent over HTTP (%s) THEN the client reads the 413", async (_, declared) => {
    const server = createServer(async (req, res) => {
      const request = new Request("http://x/", {
        method: "POST",
        headers: req.headers["content-length"] ? { "Content-Length": req.headers["content-length"] } : {},
        body: createReadableStreamFromReadable(req),
        duplex: "half",
      } as RequestInit);
      const answer = await readLimitedBody(request).then(
        () => new Response("read"),
        (e: Response) => e,
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const bytes = new Uint8Array(3_000_000);
      const body = declared
        ? bytes
        : new ReadableStream<Uint8Array>({
            start(controller) {
              for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.subarray(i, i + 65_536));
              controller.close();
            },
          });
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body, duplex: "half" } as RequestInit);
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("GIVEN no body THEN an empty buffer", async () => {
    expect((await readLimitedBody(new Request("http://x/"))).length).toBe(0);
  });
});
