/**
 * Packages a command needs that the CLI does not install. `@wattprint/measure` runs ONNX models
 * with onnxruntime-node, about 290 MB of native libraries for Linux, macOS and Windows, which
 * `estimate`, `track`, `logs` and the rest never load: it is an optional peer dependency,
 * installed beside the CLI by whoever measures models.
 */
export interface OptionalPackage {
  readonly name: string;
  /** Why the CLI does not bring it, as the message says. */
  readonly why: string;
  /** Set before `npm install` (an install script to skip), with a space after; or "". */
  readonly installEnv: string;
}

export const MEASURE_PACKAGE: OptionalPackage = {
  name: "@wattprint/measure",
  why: "it runs ONNX models with onnxruntime-node, about 290 MB, so it is not installed with the CLI",
  // onnxruntime-node's postinstall fetches CUDA libraries measure never uses, and the install
  // fails where that host cannot be reached.
  installEnv: "ONNXRUNTIME_NODE_INSTALL=skip ",
};

/** A command whose package is not installed: what to install, and where. */
export class MissingPackageError extends Error {
  constructor(readonly pkg: OptionalPackage) {
    super(
      `needs ${pkg.name}, which is not installed (${pkg.why}). Install it beside the CLI: ${pkg.installEnv}npm install --global ${pkg.name} for a global wattprint, ${pkg.installEnv}npm install ${pkg.name} in the project that has it, or npx --package @wattprint/cli --package ${pkg.name} wattprint …`,
    );
    this.name = "MissingPackageError";
  }
}

/**
 * Whether `error` is Node failing to find the package `name` itself: not a file inside it,
 * not a package it imports, which are a broken install and stay internal errors.
 */
export function isMissingPackage(error: unknown, name: string): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" &&
    error.message.startsWith(`Cannot find package '${name}' `)
  );
}
