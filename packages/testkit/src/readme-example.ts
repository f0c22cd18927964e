/**
 * Every package README has a `## Example` section whose fenced `ts` blocks (an app's: `sh`
 * blocks of its commands) are programs that run as written; a `text` block right after one,
 * with no prose between, is what it prints. The interop suite runs each of them
 * (test/interop/readme-examples.interop.test.ts) so an example cannot rot while the API
 * under it changes. A `text` block introduced by prose ("it prints, in part:") is an excerpt,
 * not checked.
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
  | { readonly ok: true; readonly value: readonly ReadmeExample[] }
  | { readonly ok: false; readonly error: ReadmeExampleProblem };

const FENCE = /^```(\S*)\s*$/;

interface Block {
  readonly info: string;
  readonly line: number;
  readonly body: string[];
  /** Whether prose sits between the block before this one and this one. */
  readonly afterProse: boolean;
}

/** The runnable blocks of the `## Example` section, in order, each with its stated output. */
export function extractReadmeExamples(markdown: string): Extracted {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === "## Example");
  if (start === -1) {
    return {
      ok: false,
      error: { kind: "no-example-section", message: "no `## Example` heading" },
    };
  }
  const blocks: Block[] = [];
  let open: Block | undefined;
  let prose = false;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (open === undefined && line.startsWith("## ")) break;
    const fence = FENCE.exec(line);
    if (fence && open === undefined) {
      open = { info: fence[1] ?? "", line: i + 1, body: [], afterProse: prose };
      prose = false;
    } else if (fence && open !== undefined) {
      blocks.push(open);
      open = undefined;
    } else if (open !== undefined) {
      open.body.push(line);
    } else if (line.trim() !== "") {
      prose = true;
    }
  }
  const examples: ReadmeExample[] = [];
  blocks.forEach((block, i) => {
    if (block.info !== "ts" && block.info !== "sh") return;
    const next = blocks[i + 1];
    examples.push({
      line: block.line,
      language: block.info,
      code: `${block.body.join("\n")}\n`,
      expectedOutput:
        next?.info === "text" && !next.afterProse ? next.body.join("\n").trim() : undefined,
    });
  });
  if (examples.length === 0) {
    return {
      ok: false,
      error: {
        kind: "no-code-block",
        message: `no \`\`\`ts or \`\`\`sh block under \`## Example\` (line ${start + 1})`,
      },
    };
  }
  return { ok: true, value: examples };
}
