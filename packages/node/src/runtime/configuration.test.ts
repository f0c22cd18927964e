import { ErrorCode } from "@wattprint/messages";
import { describe, expect, it } from "vitest";
import { answerConfiguration } from "./configuration.ts";

const request = { node_id: 1, transaction_id: 42, configuration: '{"pue":1.2}' };

describe("answerConfiguration", () => {
  it("copies the request's ids and reports an accepted configuration as NO_ERROR", () => {
    const definition = {
      handleConfiguration: (c: string) => ({ success: true, configuration: `ok ${c}` }),
    };
    expect(answerConfiguration(definition, request)).toEqual({
      node_id: 1,
      transaction_id: 42,
      success: true,
      err_code: ErrorCode.NO_ERROR,
      configuration: 'ok {"pue":1.2}',
    });
  });

  it("turns a handler that throws into a refusal that says why", () => {
    const definition = {
      handleConfiguration: (): never => {
        throw new Error("settings store unavailable");
      },
    };
    const response = answerConfiguration(definition, request);
    expect(response).toMatchObject({ success: false, err_code: ErrorCode.INTERNAL_ERROR });
    expect(JSON.parse(response.configuration)).toEqual({
      error: "internal error: settings store unavailable",
    });
  });
});
