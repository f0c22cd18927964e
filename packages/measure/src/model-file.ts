import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, constants, realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { type Failure, failure, fileErrorSentence, type Result } from "@wattprint/result";
import type { MeasureFailure } from "./failures.ts";

/** onnxruntime reads a model as one protobuf, which cannot exceed 2 GiB. */
export const MAX_MODEL_BYTES = 2 * 1024 * 1024 * 1024;
/** Files whose hash is remembered; the least recently hashed is forgotten first. */
export const MAX_HASHED_FILES = 64;

export interface ModelFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export function isOnnxPath(path: string): boolean {
  return path.toLowerCase().endsWith(".onnx");
}

/** `path` (relative to the working directory) as an absolute file when it is a readable `.onnx` file. */
export async function readableOnnxFile(path: string): Promise<string | undefined> {
  const checked = await checkOnnxFile(path);
  return checked.ok ? checked.value : undefined;
}

/**
 * `path` (relative to the working directory) as an absolute, readable `.onnx` file, or why
 * it is not one: a missing file, a folder, a device and a file without read permission each
 * have their own fix, and one sentence for all of them left the user guessing.
 */
export async function checkOnnxFile(
  path: string,
): Promise<Result<string, Failure<"model-not-found">>> {
  const refuse = (message: string) =>
    ({ ok: false, error: failure("model-not-found", message, { path }) }) as const;
  if (path.includes("\0")) return refuse("the path contains a NUL character");
  const absolute = resolve(path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch (error) {
    return refuse(`${path} cannot be read: ${fileErrorSentence(error)}`);
  }
  if (info.isDirectory()) return refuse(`${path} is a folder, not a model file`);
  if (!info.isFile())
    return refuse(
      `${path} is not a regular file (a device, a pipe or a socket): give a model file`,
    );
  // After the kind of file: a folder is said as one whatever its name.
  if (!isOnnxPath(path))
    return refuse(`${path}: the model file's name must end in .onnx (rename or link it)`);
  try {
    await access(absolute, constants.R_OK);
  } catch (error) {
    return refuse(`${path} cannot be read: ${fileErrorSentence(error)}`);
  }
  return { ok: true, value: absolute };
}

/**
 * Whether `file` lies inside `folder` once both are resolved, symlinks included: a link in the
 * folder that leads out of it does not count as inside. A path that does not resolve is not.
 */
export async function insideFolder(file: string, folder: string): Promise<boolean> {
  try {
    const [real, root] = await Promise.all([realpath(file), realpath(folder)]);
    return isBelow(root, real);
  } catch {
    return false;
  }
}

/** Whether absolute `path` names something below absolute `root` (not `root` itself), by name. */
export function isBelow(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * sha256 of model files, hashed once per version of the file: the hash is remembered by
 * path with the file's size, mtime and inode, so a task on the same model does not read
 * it again, and a model replaced in place is hashed (and loaded) again.
 */
export class ModelHashes {
  private readonly known = new Map<string, { stamp: string; file: ModelFile }>();

  async identify(path: string): Promise<Result<ModelFile, MeasureFailure>> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      return notFound(path, error);
    }
    if (!info.isFile()) {
      return { ok: false, error: failure("model-not-found", `${path} is not a file`, { path }) };
    }
    if (info.size > MAX_MODEL_BYTES) {
      return {
        ok: false,
        error: failure(
          "model-not-loadable",
          `${path} is ${info.size} bytes, over the ${MAX_MODEL_BYTES}-byte limit of one ONNX protobuf`,
          { path },
        ),
      };
    }
    const stamp = `${info.size}/${info.mtimeMs}/${info.ino}`;
    const known = this.known.get(path);
    if (known?.stamp === stamp) return { ok: true, value: known.file };
    let sha256: string;
    try {
      sha256 = await hashFile(path);
    } catch (error) {
      return notFound(path, error);
    }
    const file = { path, bytes: info.size, sha256 };
    this.known.delete(path);
    this.known.set(path, { stamp, file });
    while (this.known.size > MAX_HASHED_FILES) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.known.delete(oldest);
    }
    return { ok: true, value: file };
  }
}

function notFound(path: string, error: unknown): Result<never, MeasureFailure> {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    error: failure("model-not-found", `cannot read ${path}: ${message}`, { path }),
  };
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolvePromise(hash.digest("hex")));
  });
}
