import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOnnxFile, readableOnnxFile } from "../src/model-file.ts";
import { ModelsFolder } from "../src/models-folder.ts";

let root: string;
let folder: ModelsFolder;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "wattprint-models-"));
  await mkdir(join(root, "models", "google"), { recursive: true });
  await writeFile(join(root, "models", "tiny.onnx"), "x");
  await writeFile(join(root, "models", "google", "flan-t5-small.onnx"), "x");
  await writeFile(join(root, "models", "renamed.onnx"), "x");
  await writeFile(join(root, "outside.onnx"), "x");
  const opened = await ModelsFolder.open(join(root, "models"));
  if (!opened.ok) throw new Error(opened.error.message);
  folder = opened.value;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("ModelsFolder", () => {
  it("maps a model name to <folder>/<name>.onnx, sub-folders included", async () => {
    expect(await folder.locate("tiny")).toEqual({
      file: join(root, "models", "tiny.onnx"),
      lookedFor: join(root, "models", "tiny.onnx"),
    });
    expect((await folder.locate("google/flan-t5-small")).file).toBe(
      join(root, "models", "google", "flan-t5-small.onnx"),
    );
    expect((await folder.locate("tiny.onnx")).file).toBe(join(root, "models", "tiny.onnx"));
    expect(await folder.locate("bert-base")).toEqual({
      lookedFor: join(root, "models", "bert-base.onnx"),
    });
  });

  it("never leaves the folder", async () => {
    for (const name of ["../outside", "/etc/passwd", "google/../../outside", "a\0b"]) {
      const located = await folder.locate(name);
      expect(located.file).toBeUndefined();
    }
    expect((await folder.locate("../outside")).lookedFor).toMatch(/refused/);
  });

  it("follows models.json first, re-reads it when it changes, and says when it is unusable", async () => {
    const manifest = join(root, "models", "models.json");
    await writeFile(manifest, JSON.stringify({ "bert-base-uncased": "renamed.onnx" }));
    expect((await folder.locate("bert-base-uncased")).file).toBe(
      join(root, "models", "renamed.onnx"),
    );
    // The convention still answers names the manifest does not list.
    expect((await folder.locate("tiny")).file).toBe(join(root, "models", "tiny.onnx"));
    await writeFile(manifest, JSON.stringify({ "bert-base-uncased": "../outside.onnx", x: 1 }));
    const bad = await folder.locate("bert-base-uncased");
    expect(bad.file).toBeUndefined();
    expect(bad.manifestProblem).toMatch(/models\.json is not a/);
    await writeFile(manifest, "{ not json");
    expect((await folder.locate("tiny")).manifestProblem).toMatch(/cannot be read as JSON/);
    await rm(manifest);
    expect((await folder.locate("tiny")).manifestProblem).toBeUndefined();
  });

  it("a model name that is a built-in key of an object is looked up as a file name", async () => {
    const manifest = join(root, "models", "models.json");
    await writeFile(manifest, JSON.stringify({ "bert-base-uncased": "renamed.onnx" }));
    try {
      // Names come from the bus: with a manifest, these used to index Object.prototype.
      for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
        expect(await folder.locate(name)).toEqual({
          lookedFor: join(root, "models", `${name}.onnx`),
        });
      }
    } finally {
      await rm(manifest);
    }
  });

  it("lists a model named __proto__ as any other, and names the entry that is wrong", async () => {
    const manifest = join(root, "models", "models.json");
    // JSON.parse makes "__proto__" an own key; copied onto a plain object it set the
    // prototype and the entry was lost without a word.
    await writeFile(manifest, '{ "__proto__": "renamed.onnx", "tiny": "tiny.onnx" }');
    try {
      expect((await folder.locate("__proto__")).file).toBe(join(root, "models", "renamed.onnx"));
      await writeFile(manifest, JSON.stringify({ tiny: "tiny.onnx", "bert-base-uncased": 7 }));
      expect((await folder.locate("tiny")).manifestProblem).toMatch(
        /models\.json is not a .*\(the entry "bert-base-uncased": .*\); ignored$/,
      );
      await writeFile(manifest, "[]");
      expect((await folder.locate("tiny")).manifestProblem).toMatch(/top level is not an object/);
    } finally {
      await rm(manifest);
    }
  });

  it("refuses a folder that does not exist", async () => {
    expect(await ModelsFolder.open(join(root, "nope"))).toMatchObject({
      ok: false,
      error: {
        kind: "invalid-folder",
        // A sentence and the fix, not Node's `ENOENT: no such file or directory, stat`.
        message: `the models folder ${join(root, "nope")} cannot be read: it does not exist: check the path`,
      },
    });
  });
});

describe("readableOnnxFile", () => {
  it("takes readable .onnx files only", async () => {
    expect(await readableOnnxFile(join(root, "outside.onnx"))).toBe(join(root, "outside.onnx"));
    expect(await readableOnnxFile(join(root, "missing.onnx"))).toBeUndefined();
    expect(await readableOnnxFile(join(root, "models"))).toBeUndefined();
    await writeFile(join(root, "model.bin"), "x");
    expect(await readableOnnxFile(join(root, "model.bin"))).toBeUndefined();
    await symlink(join(root, "models"), join(root, "dir.onnx"));
    expect(await readableOnnxFile(join(root, "dir.onnx"))).toBeUndefined();
  });
});

describe("checkOnnxFile", () => {
  const why = async (path: string) => {
    const checked = await checkOnnxFile(path);
    return checked.ok ? "ok" : `${checked.error.kind}: ${checked.error.message}`;
  };

  it("says which of the problems it is", async () => {
    expect(await why(join(root, "outside.onnx"))).toBe("ok");
    expect(await why(join(root, "missing.onnx"))).toMatch(/^model-not-found: .*does not exist/);
    expect(await why(join(root, "dir.onnx"))).toMatch(/is a folder, not a model file$/);
    expect(await why("/dev/null.onnx")).toMatch(/does not exist/);
    expect(await why("/dev/null")).toMatch(/not a regular file/);
    expect(await why(root)).toMatch(/is a folder/);
    expect(await why("/etc/passwd")).toMatch(/name must end in \.onnx/);
    await writeFile(join(root, "tiny.bin"), "x");
    expect(await why(join(root, "tiny.bin"))).toMatch(/name must end in \.onnx/);
    await symlink("/dev/zero", join(root, "zero.onnx"));
    expect(await why(join(root, "zero.onnx"))).toMatch(/not a regular file/);
  });

  it.skipIf(process.getuid?.() === 0)("says a file it may not read is not permitted", async () => {
    await writeFile(join(root, "locked.onnx"), "x");
    await chmod(join(root, "locked.onnx"), 0o000);
    expect(await why(join(root, "locked.onnx"))).toMatch(/permission denied/);
  });
});
