import { didYouMean, packageVersion, suggestionSuffix } from "@wattprint/node/options";
import { quoted } from "./args.ts";

/**
 * The command line's own words, answered before any command runs: the version (from this
 * package's package.json, so it is the published number), `help <command>` (the command's
 * --help), and the did-you-mean for a command name that is not one.
 */
export function isVersionRequest(argv: readonly string[]): boolean {
  return (
    argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V" || argv[0] === "version")
  );
}

export function cliVersion(): string {
  const version = packageVersion(new URL("../package.json", import.meta.url));
  return version.ok ? version.value : `unknown (${version.error.message})`;
}

/**
 * `help estimate` is `estimate --help`, `help hardware detect` is `hardware detect --help`:
 * the arguments for the named command, or undefined when `argv` is not a help request for one.
 */
export function helpRequest(
  argv: readonly string[],
): { readonly name: string; readonly rest: readonly string[] } | undefined {
  const [first, name, ...rest] = argv;
  if (first !== "help" || name === undefined) return undefined;
  return { name, rest: [...rest, "--help"] };
}

/** `unknown command "estimat"; did you mean estimate?` and the list of commands. */
export function unknownCommandMessage(name: string, commands: readonly string[]): string {
  return `wattprint: unknown command ${quoted(name)}${suggestionSuffix(didYouMean(name, commands))}; commands: ${commands.join(", ")}`;
}
