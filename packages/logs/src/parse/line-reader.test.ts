import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/helpers.test-support.ts";
import { LineReader, type LineSink } from "./line-reader.ts";

const newDir = useTempDirs();

function collect(): LineSink & { readonly seen: string[] } {
  const seen: string[] = [];
  return { seen, line: (text) => seen.push(text) };
}

describe("LineReader: NUL bytes in the shared buffer", () => {
  // A small buffer: the files below fill it exactly, overrun it, or leave stale bytes in it.
  const reader = () => new LineReader({ maxFileBytes: 1 << 20, maxLineBytes: 1 << 16 }, 16);

  it("finds a NUL as the last byte read, and one in a read that fills the buffer", () => {
    const dir = newDir();
    const lastByte = join(dir, "last.log");
    writeFileSync(lastByte, Buffer.from("line one\nline two\n\0"));
    const filling = join(dir, "filling.log");
    // 16 bytes: the first read fills the buffer to its end.
    writeFileSync(filling, Buffer.from("abcdefghijklmn\0\n"));
    const lines = reader();
    const last = lines.read(lastByte, collect());
    expect(last.ok ? "read" : last.error.message).toMatch(/NUL byte at offset 18/);
    const full = lines.read(filling, collect());
    expect(full.ok ? "read" : full.error.message).toMatch(/NUL byte at offset 14/);
  });

  it("never reads the bytes another file left in the buffer", () => {
    const dir = newDir();
    const binary = join(dir, "binary.log");
    writeFileSync(binary, Buffer.from("0123456789\n\0\0\0\0\0\0\0\0\0\0\n"));
    const short = join(dir, "short.log");
    writeFileSync(short, "ok\n");
    const lines = reader();
    expect(lines.read(binary, collect()).ok).toBe(false);
    const sink = collect();
    const read = lines.read(short, sink);
    expect(read.ok).toBe(true);
    expect(sink.seen).toEqual(["ok"]);
  });
});
