import { describe, expect, it } from "vitest";
import { newId, requestFor } from "../../../widget/src/api";

describe("request ids", () => {
  const ids = () => {
    let n = 0;
    return () => `request-${++n}`;
  };

  it("gives each new click its own id", () => {
    const make = ids();
    const first = requestFor(null, "redeem:r1", make);
    expect(first).toEqual({ key: "redeem:r1", id: "request-1" });
    // Answered: the caller dropped it, so the next click on the same reward is a new request.
    expect(requestFor(null, "redeem:r1", make).id).toBe("request-2");
  });

  it("reuses the id of an unanswered request when the shopper retries the same click", () => {
    const make = ids();
    const unanswered = requestFor(null, "redeem:r1", make);
    expect(requestFor(unanswered, "redeem:r1", make)).toBe(unanswered);
  });

  it("does not lend an unanswered id to another reward or action", () => {
    const make = ids();
    const unanswered = requestFor(null, "redeem:r1", make);
    expect(requestFor(unanswered, "redeem:r2", make).id).toBe("request-2");
    expect(requestFor(unanswered, "action:newsletter", make).id).toBe("request-3");
  });

  it("makes random ids the proxy accepts", () => {
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(newId()).not.toBe(id);
  });
});
