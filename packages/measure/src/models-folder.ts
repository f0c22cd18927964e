import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, normalize, resolve } from "node:path";
import { failure, fileErrorSentence, type Result } from "@wattprint/result";
import { z } from "zod";
import { isBelow, readableOnnxFile } from "./model-file.ts";

/**
 * The models folder: which local `.onnx` file a SustainML model name (`MLModel.model`)
 * stands for. Two rules, the first that answers wins:
 *
 * 1. `models.json` in the folder, when present: `{ "<model name>": "<file in the folder>" }`,
 *    e.g. `{ "bert-base-uncased": "bert/model.onnx" }`. It is read again when it changes.
 * 2. `<folder>/<model name>.onnx` (or `<folder>/<model name>` when the name already ends in
 *    `.onnx`). A name with `/` reaches a sub-folder, as Hugging Face ids do
 *    (`google/flan-t5-small` → `google/flan-t5-small.onnx`).
 *
 * Whatever the rule, the name must lead inside the folder (no `..` out of it, no absolute
 * path: checked on the resolved path), end in `.onnx` and be a readable regular file. Links
 * that the folder's owner put in the folder are followed: the folder is trusted, the names
 * arriving on the bus are not.
 */
export const MODELS_MANIFEST = "models.json";
/** Entries read from a manifest; a longer one is refused whole. */
export const MAX_MANIFEST_ENTRIES = 10_000;
export const MAX_MANIFEST_BYTES = 1024 * 1024;

// Checked as [name, file] pairs, read into a Map: a record schema copied each key onto a
// plain object, where an entry named "__proto__" set the prototype instead and was lost.
const manifestEntriesSchema = z
  .array(z.tuple([z.string().min(1).max(512), z.string().min(1).max(4096)]))
  .max(MAX_MANIFEST_ENTRIES, { message: `at most ${MAX_MANIFEST_ENTRIES} entries` });

/** The manifest's entries, or what is wrong with it (naming the entry). */
function readManifest(raw: unknown): { entries: Map<string, string> } | { problem: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { problem: "the top level is not an object" };
  }
  const pairs = Object.entries(raw);
  const parsed = manifestEntriesSchema.safeParse(pairs);
  if (parsed.success) return { entries: new Map(parsed.data) };
  const issue = parsed.error.issues[0];
  const [index, part] = issue?.path ?? [];
  const name = typeof index === "number" ? pairs[index]?.[0] : undefined;
  const where =
    name === undefined
      ? ""
      : `${part === 0 ? "the name " : "the entry "}${JSON.stringify(name.slice(0, 80))}: `;
  return { problem: `${where}${issue?.message ?? "invalid"}` };
}

export type ModelsFolderError = { kind: "invalid-folder"; message: string; path: string };

export interface LocatedModel {
  /** The absolute file, when the folder has it. */
  readonly file?: string;
  /** Where the folder was looked in, for a reason when nothing was found. */
  readonly lookedFor: string;
  /** Set when `models.json` exists but could not be used (the convention still applies). */
  readonly manifestProblem?: string;
}

export class ModelsFolder {
  private manifest: ReadonlyMap<string, string> | undefined;
  private manifestProblem: string | undefined;
  /** size/mtime/inode of the manifest last read, good or bad: it is read again only when it changes. */
  private manifestStamp: string | undefined;

  private constructor(readonly root: string) {}

  /** The folder must exist; its manifest, if any, is read on the first lookup. */
  static async open(path: string): Promise<Result<ModelsFolder, ModelsFolderError>> {
    const root = resolve(path);
    try {
      const info = await stat(root);
      if (!info.isDirectory()) {
        return {
          ok: false,
          error: failure("invalid-folder", `the models folder ${root} is not a folder`, {
            path: root,
          }),
        };
      }
    } catch (error) {
      return {
        ok: false,
        error: failure(
          "invalid-folder",
          `the models folder ${root} cannot be read: ${fileErrorSentence(error)}`,
          {
            path: root,
          },
        ),
      };
    }
    return { ok: true, value: new ModelsFolder(root) };
  }

  async locate(modelName: string): Promise<LocatedModel> {
    await this.refreshManifest();
    // A Map: a name from the bus such as "constructor" finds only what the manifest lists.
    const listed = this.manifest?.get(modelName);
    const relativeFile =
      listed ?? (modelName.toLowerCase().endsWith(".onnx") ? modelName : `${modelName}.onnx`);
    const problem =
      this.manifestProblem !== undefined ? { manifestProblem: this.manifestProblem } : {};
    const inside = this.inside(relativeFile);
    const lookedFor =
      inside ??
      `${join(this.root, relativeFile)} (refused: the name leads outside the models folder)`;
    if (inside === undefined) return { lookedFor, ...problem };
    const file = await readableOnnxFile(inside);
    return { ...(file !== undefined ? { file } : {}), lookedFor, ...problem };
  }

  /** The absolute path of `relativeFile` when it stays inside the folder. */
  private inside(relativeFile: string): string | undefined {
    if (relativeFile.includes("\0") || isAbsolute(relativeFile)) return undefined;
    const file = resolve(this.root, normalize(relativeFile));
    return isBelow(this.root, file) ? file : undefined;
  }

  private async refreshManifest(): Promise<void> {
    const path = join(this.root, MODELS_MANIFEST);
    let size: number;
    let stamp: string;
    try {
      const info = await stat(path);
      size = info.size;
      stamp = `${info.size}/${info.mtimeMs}/${info.ino}`;
    } catch {
      this.manifest = undefined;
      this.manifestProblem = undefined;
      this.manifestStamp = undefined;
      return;
    }
    if (this.manifestStamp === stamp) return;
    this.manifestStamp = stamp;
    if (size > MAX_MANIFEST_BYTES) {
      this.manifest = undefined;
      this.manifestProblem = `${path} is ${size} bytes, over the limit of ${MAX_MANIFEST_BYTES}; ignored`;
      return;
    }
    try {
      const read = readManifest(JSON.parse(await readFile(path, "utf8")));
      if ("entries" in read) {
        this.manifest = read.entries;
        this.manifestProblem = undefined;
      } else {
        this.manifest = undefined;
        this.manifestProblem = `${path} is not a { "model name": "file.onnx" } object (${read.problem}); ignored`;
      }
    } catch (error) {
      this.manifest = undefined;
      this.manifestProblem = `${path} cannot be read as JSON (${error instanceof Error ? error.message : String(error)}); ignored`;
    }
  }
}
