import { ErrorCode, type RequestTypeImpl, type ResponseTypeImpl } from "@wattprint/messages";
import type { NodeDefinition } from "./definition.ts";

/**
 * The response to a configuration request addressed to this node, as SustainML's service
 * answers: `node_id` and `transaction_id` copied, INTERNAL_ERROR when refused. A handler that
 * throws is a refusal with the reason, never a dropped request.
 */
export function answerConfiguration(
  definition: Pick<NodeDefinition<Record<string, unknown>, never>, "handleConfiguration">,
  request: RequestTypeImpl,
): ResponseTypeImpl {
  let answer: { success: boolean; configuration: string };
  try {
    answer = definition.handleConfiguration(request.configuration);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    answer = {
      success: false,
      configuration: JSON.stringify({ error: `internal error: ${message}` }),
    };
  }
  return {
    node_id: request.node_id,
    transaction_id: request.transaction_id,
    success: answer.success,
    err_code: answer.success ? ErrorCode.NO_ERROR : ErrorCode.INTERNAL_ERROR,
    configuration: answer.configuration,
  };
}
