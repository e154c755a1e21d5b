// A minimal client of Node's inspector (the Chrome DevTools protocol over a websocket), to
// measure a server's JS heap after a full garbage collection from outside the process: the
// server is started with --inspect=127.0.0.1:PORT (startCluster's inspectFirstPort), and
// heapAfterGc(PORT) asks it to collect garbage, then for process.memoryUsage(). Node 20 has no
// WebSocket client without a flag, so the few frames the protocol needs are written here
// (RFC 6455: masked text frames out, unmasked frames in).
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { request } from "node:http";
import type { Socket } from "node:net";

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export interface InspectorSession {
  /** Sends a protocol command, resolves with its result (rejects with its error). */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` with the params of every `event` the process sends. */
  on(event: string, listener: (params: unknown) => void): void;
  close(): void;
}

/** Connects to the first target of the inspector listening on 127.0.0.1:`port`. */
export async function inspectorSession(port: number): Promise<InspectorSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const target = new URL(targets[0]!.webSocketDebuggerUrl);
  const socket = await new Promise<Socket>((resolve, reject) => {
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        "Sec-WebSocket-Version": "13",
      },
    });
    req.once("upgrade", (_res, upgraded: Socket, head: Buffer) => {
      if (head.length) upgraded.unshift(head);
      resolve(upgraded);
    });
    req.once("response", (res) => reject(new Error(`The inspector answered ${res.statusCode} instead of upgrading`)));
    req.once("error", reject);
    req.end();
  });

  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Array<(params: unknown) => void>>();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const write = (opcode: number, payload: Buffer) => {
    const mask = randomBytes(4);
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([0x80 | opcode, 0x80 | length])
        : length < 65_536
          ? Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 255])
          : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), bigLength(length)]);
    const masked = Buffer.alloc(length);
    for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
    socket.write(Buffer.concat([header, mask, masked]));
  };

  const onMessage = (text: string) => {
    const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
    if (message.id !== undefined) {
      const p = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) p?.reject(new Error(`${message.error.message}`));
      else p?.resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params);
    }
  };

  let buffered = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 2) return;
      const fin = (buffered[0]! & 0x80) !== 0;
      const opcode = buffered[0]! & 0x0f;
      const masked = (buffered[1]! & 0x80) !== 0;
      let length = buffered[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const maskKey = masked ? buffered.subarray(offset, offset + 4) : null;
      if (masked) offset += 4;
      if (buffered.length < offset + length) return;
      const payload = Buffer.from(buffered.subarray(offset, offset + length));
      buffered = buffered.subarray(offset + length);
      if (maskKey) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ maskKey[i & 3]!;
      if (opcode === 0x8) {
        socket.end();
        return;
      }
      if (opcode === 0x9) {
        write(0xa, payload);
        continue;
      }
      if (opcode !== 0x0 && opcode !== 0x1) continue;
      fragments.push(payload);
      if (!fin) continue;
      const text = Buffer.concat(fragments).toString("utf8");
      fragments = [];
      onMessage(text);
    }
  });
  socket.on("error", (error) => failAll(error));
  socket.on("close", () => failAll(new Error("The inspector closed the connection")));

  return {
    send<T>(method: string, params: Record<string, unknown> = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        write(0x1, Buffer.from(JSON.stringify({ id, method, params })));
      });
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    close() {
      write(0x8, Buffer.alloc(0));
      socket.end();
    },
  };
}

function bigLength(length: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(length));
  return out;
}

export interface MemoryAfterGc {
  /** V8's heap in use after a full collection (live JS objects), MiB. */
  heapUsedMiB: number;
  /** V8's heap reserved (used + free), MiB. */
  heapTotalMiB: number;
  /** Memory of C++ objects bound to JS objects (Buffers included), MiB. */
  externalMiB: number;
  /** Resident memory of the whole process, MiB. */
  rssMiB: number;
}

const mib = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

/**
 * The process's memory right after a full garbage collection (two, so objects freed by the
 * first one's finalizers go too), read over the inspector on 127.0.0.1:`port`.
 */
export async function heapAfterGc(port: number): Promise<MemoryAfterGc> {
  const session = await inspectorSession(port);
  try {
    await session.send("HeapProfiler.collectGarbage");
    await session.send("HeapProfiler.collectGarbage");
    const answer = await session.send<{ result: { value: string } }>("Runtime.evaluate", {
      expression: "JSON.stringify(process.memoryUsage())",
      returnByValue: true,
    });
    const usage = JSON.parse(answer.result.value) as NodeJS.MemoryUsage;
    return {
      heapUsedMiB: mib(usage.heapUsed),
      heapTotalMiB: mib(usage.heapTotal),
      externalMiB: mib(usage.external),
      rssMiB: mib(usage.rss),
    };
  } finally {
    session.close();
  }
}

/**
 * Writes the process's heap snapshot (taken after a full collection, as DevTools does) to
 * `file`, to open in Chrome DevTools' Memory tab.
 */
export async function writeHeapSnapshot(port: number, file: string): Promise<void> {
  const out = createWriteStream(file);
  const session = await inspectorSession(port);
  try {
    session.on("HeapProfiler.addHeapSnapshotChunk", (params) => out.write((params as { chunk: string }).chunk));
    await session.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  } finally {
    session.close();
    out.end();
    await once(out, "close");
  }
}
