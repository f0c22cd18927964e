/**
 * Every package README has a `## Example` section whose first fenced `ts` block (an app's:
 * `sh` block of its commands) is a program that runs as written; a `text` block right after
 * it, when present, is what it prints. The interop suite runs each one
 * (test/interop/readme-examples.interop.test.ts) so an example cannot rot while the API
 * under it changes.
 */
export interface ReadmeExample {
  /** 1-based line of the code fence in the README, for error messages. */
  readonly line: number;
  readonly language: "ts" | "sh";
  readonly code: string;
  /** Expected standard output, trimmed; undefined when the README does not state it. */
  readonly expectedOutput: string | undefined;
}

export type ReadmeExampleProblem =
  | { readonly kind: "no-example-section"; readonly message: string }
  | { readonly kind: "no-code-block"; readonly message: string };

type Extracted =
  | { readonly ok: true; readonly value: ReadmeExample }
  | { readonly ok: false; readonly error: ReadmeExampleProblem };

const FENCE = /^```(\S*)\s*$/;

export function extractReadmeExample(markdown: string): Extracted {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === "## Example");
  if (start === -1) {
    return {
      ok: false,
      error: { kind: "no-example-section", message: "no `## Example` heading" },
    };
  }
  const blocks: { info: string; line: number; body: string[] }[] = [];
  let open: { info: string; line: number; body: string[] } | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (open === undefined && line.startsWith("## ")) break;
    const fence = FENCE.exec(line);
    if (fence && open === undefined) {
      open = { info: fence[1] ?? "", line: i + 1, body: [] };
    } else if (fence && open !== undefined) {
      blocks.push(open);
      open = undefined;
    } else if (open !== undefined) {
      open.body.push(line);
    } else if (line.trim() !== "" && blocks.length > 0) {
      // Prose after the first block: a later `text` block is no longer its output.
      break;
    }
  }
  const codeIndex = blocks.findIndex((b) => b.info === "ts" || b.info === "sh");
  const code = blocks[codeIndex];
  if (code === undefined) {
    return {
      ok: false,
      error: {
        kind: "no-code-block",
        message: `no \`\`\`ts or \`\`\`sh block under \`## Example\` (line ${start + 1})`,
      },
    };
  }
  const next = blocks[codeIndex + 1];
  return {
    ok: true,
    value: {
      line: code.line,
      language: code.info === "sh" ? "sh" : "ts",
      code: `${code.body.join("\n")}\n`,
      expectedOutput: next?.info === "text" ? next.body.join("\n").trim() : undefined,
    },
  };
}
