import { describe, expect, it } from "vitest";
import { extractReadmeExamples } from "./readme-example.ts";

const readme = (body: string) => `# pkg\n\nIntro.\n\n${body}`;

describe("extractReadmeExamples", () => {
  it("takes the ts block under ## Example and the text block after it", () => {
    const got = extractReadmeExamples(
      readme(
        "## Install\n\n```sh\nnpm i x\n```\n\n## Example\n\nRun this:\n\n```ts\nconsole.log(1);\n```\n\n```text\n1\n```\n\n## API\n\n```ts\nnope();\n```\n",
      ),
    );
    expect(got).toEqual({
      ok: true,
      value: [{ line: 15, language: "ts", code: "console.log(1);\n", expectedOutput: "1" }],
    });
  });

  it("has no expected output when prose separates the text block from the code", () => {
    const got = extractReadmeExamples(
      readme("## Example\n\n```ts\nrun();\n```\n\nIt prints:\n\n```text\n1\n```\n"),
    );
    expect(got.ok && got.value[0]?.expectedOutput).toBe(undefined);
  });

  it("takes every ts and sh block of the section, each with its own output", () => {
    const got = extractReadmeExamples(
      readme(
        "## Example\n\n```ts\na();\n```\n\n```text\nA\n```\n\nThen:\n\n```sh\nb\n```\n\nIn part:\n\n```text\nB...\n```\n\n```ts\nc();\n```\n\n## API\n",
      ),
    );
    expect(got.ok && got.value.map((e) => [e.line, e.language, e.expectedOutput])).toEqual([
      [7, "ts", "A"],
      [17, "sh", undefined],
      [27, "ts", undefined],
    ]);
  });

  it("names what is missing", () => {
    expect(extractReadmeExamples(readme("## Usage\n\n```ts\nx();\n```\n"))).toMatchObject({
      ok: false,
      error: { kind: "no-example-section" },
    });
    expect(extractReadmeExamples(readme("## Example\n\n```js\nx\n```\n\n## API\n"))).toMatchObject({
      ok: false,
      error: { kind: "no-code-block" },
    });
    // A ts block under the next section is not the example's.
    expect(
      extractReadmeExamples(readme("## Example\n\nSee below.\n\n## API\n\n```ts\nx();\n```\n")),
    ).toMatchObject({ ok: false, error: { kind: "no-code-block" } });
  });
});
