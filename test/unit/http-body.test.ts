import { describe, expect, it } from "vitest";
import { readLimitedBody } from "~/http.server";

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

  it("GIVEN a declared Content-Length over the limit THEN 413 before the body is read", async () => {
    let pulled = false;
    const stream = new ReadableStream({
      pull() {
        pulled = true;
      },
    });
    const request = new Request("http://x/", {
      method: "POST",
      body: stream,
      headers: { "Content-Length": "2000000" },
      duplex: "half",
    } as RequestInit);
    expect(await status(readLimitedBody(request, 1_000_000))).toBe(413);
    expect(pulled).toBe(false);
  });

  it("GIVEN a malformed Content-Length THEN 413 (never parsed as a smaller number)", async () => {
    const request = new Request("http://x/", { method: "POST", body: "{}", headers: { "Content-Length": "1e9" } });
    expect(await status(readLimitedBody(request, 100))).toBe(413);
  });

  it("GIVEN an undeclared streamed body over the limit THEN 413 and the stream is cut off at the limit", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
        if (sent > 10_000_000) controller.close();
      },
    });
    const request = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(await status(readLimitedBody(request, 1_000_000))).toBe(413);
    expect(sent).toBeLessThan(2_000_000);
  });

  it("GIVEN no body THEN an empty buffer", async () => {
    expect((await readLimitedBody(new Request("http://x/"))).length).toBe(0);
  });
});
