import { readFileSync } from "node:fs";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { z } from "zod";

const manifestSchema = z.object({ version: z.string().min(1) });

/**
 * The version an app prints for `--version`: read from its own package.json at run time, so
 * the number is the one the package was published under, whatever built it. `url` is the
 * package.json beside the running code: `new URL("../package.json", import.meta.url)` from
 * both src/ and dist/.
 */
export function packageVersion(url: URL): Result<string, Failure<"version-unreadable">> {
  let text: string;
  try {
    text = readFileSync(url, "utf8");
  } catch (error) {
    return err(failure("version-unreadable", `cannot read ${url.pathname}: ${error}`));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err(failure("version-unreadable", `${url.pathname} is not JSON`));
  }
  const manifest = manifestSchema.safeParse(parsed);
  return manifest.success
    ? ok(manifest.data.version)
    : err(failure("version-unreadable", `${url.pathname} has no version`));
}
