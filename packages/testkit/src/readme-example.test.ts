import { describe, expect, it } from "vitest";
import { extractReadmeExample } from "./readme-example.ts";

const readme = (body: string) => `# pkg\n\nIntro.\n\n${body}`;

describe("extractReadmeExample", () => {
  it("takes the first ts block under ## Example and the text block after it", () => {
    const got = extractReadmeExample(
      readme(
        "## Install\n\n```sh\nnpm i x\n```\n\n## Example\n\nRun this:\n\n```ts\nconsole.log(1);\n```\n\n```text\n1\n```\n\n## API\n\n```ts\nnope();\n```\n",
      ),
    );
    expect(got).toEqual({
      ok: true,
      value: { line: 15, language: "ts", code: "console.log(1);\n", expectedOutput: "1" },
    });
  });

  it("has no expected output when prose separates the text block from the code", () => {
    const got = extractReadmeExample(
      readme("## Example\n\n```ts\nrun();\n```\n\nIt prints:\n\n```text\n1\n```\n"),
    );
    expect(got.ok && got.value.expectedOutput).toBe(undefined);
  });

  it("names what is missing", () => {
    expect(extractReadmeExample(readme("## Usage\n\n```ts\nx();\n```\n"))).toMatchObject({
      ok: false,
      error: { kind: "no-example-section" },
    });
    expect(extractReadmeExample(readme("## Example\n\n```js\nx\n```\n\n## API\n"))).toMatchObject({
      ok: false,
      error: { kind: "no-code-block" },
    });
    // A ts block under the next section is not the example's.
    expect(
      extractReadmeExample(readme("## Example\n\nSee below.\n\n## API\n\n```ts\nx();\n```\n")),
    ).toMatchObject({ ok: false, error: { kind: "no-code-block" } });
  });
});
