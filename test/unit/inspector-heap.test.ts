// The soak's memory figure (bench/soak.ts) is a server's JS heap after a full collection, read
// over the inspector (test/multiserver/inspector.ts): objects the process keeps are counted,
// garbage it made and dropped is not.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heapAfterGc, inspectorSession } from "../multiserver/inspector";

const PORT = 3679;

describe("heapAfterGc", () => {
  let child: ChildProcess;

  beforeAll(async () => {
    child = spawn(process.execPath, [`--inspect=127.0.0.1:${PORT}`, "-e", "globalThis.kept = []; setInterval(() => {}, 1000);"], {
      stdio: "ignore",
    });
    for (let i = 0; ; i++) {
      try {
        await fetch(`http://127.0.0.1:${PORT}/json/list`);
        break;
      } catch (error) {
        if (i > 100) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  afterAll(() => {
    child?.kill("SIGKILL");
  });

  const evaluate = async (expression: string) => {
    const session = await inspectorSession(PORT);
    try {
      await session.send("Runtime.evaluate", { expression });
    } finally {
      session.close();
    }
  };

  it("counts what the process keeps and not the garbage it dropped", async () => {
    const before = await heapAfterGc(PORT);
    expect(before.heapUsedMiB).toBeGreaterThan(0);
    expect(before.rssMiB).toBeGreaterThan(before.heapUsedMiB);

    // About 60 MiB of short strings kept long enough to reach V8's old space, then dropped: still
    // in the heap until a full collection, gone after it.
    await evaluate("globalThis.dropped = []; for (let i = 0; i < 1e6; i++) globalThis.dropped.push('garbage ' + i);");
    await evaluate("globalThis.dropped = null;");
    const afterGarbage = await heapAfterGc(PORT);
    expect(afterGarbage.heapUsedMiB - before.heapUsedMiB).toBeLessThan(5);

    // About 40 MiB kept in a global array: counted.
    await evaluate("for (let i = 0; i < 1e6; i++) globalThis.kept.push('kept ' + i);");
    const afterKept = await heapAfterGc(PORT);
    expect(afterKept.heapUsedMiB - before.heapUsedMiB).toBeGreaterThan(20);
  });

  it("reads a large answer sent in one frame of more than 64 KiB", async () => {
    const session = await inspectorSession(PORT);
    try {
      const answer = await session.send<{ result: { value: string } }>("Runtime.evaluate", {
        expression: "'x'.repeat(200000)",
        returnByValue: true,
      });
      expect(answer.result.value.length).toBe(200_000);
    } finally {
      session.close();
    }
  });
});
