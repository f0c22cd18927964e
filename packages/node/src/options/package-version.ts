import { readFileSync } from "node:fs";
import { err, type Failure, failure, ok, type Result } from "@wattprint/result";

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
  // A typeof check, not zod: this module is on every app's start-up path (`@wattprint/node/options`),
  // loading zod costs ~170 ms of CPU there, and the file is the package's own manifest.
  const version =
    typeof parsed === "object" && parsed !== null && "version" in parsed ? parsed.version : null;
  return typeof version === "string" && version !== ""
    ? ok(version)
    : err(failure("version-unreadable", `${url.pathname} has no version`));
}
