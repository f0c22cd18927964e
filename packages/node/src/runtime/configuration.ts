import { ErrorCode, type RequestTypeImpl, type ResponseTypeImpl } from "@wattprint/messages";
import type { NodeDefinition } from "./definition.ts";

/**
 * Whether configuration requests from the bus are acted on. Any peer that reaches the node can
 * send one and change the figures published for everyone (the latency unit, the intensity):
 * an operator on a network it does not trust takes `ignore`. The default is `accept`: SustainML's
 * nodes take configuration over this service, and so does its orchestrator's flow.
 */
export type ConfigurationPolicy = "accept" | "ignore";
export const CONFIGURATION_POLICIES: readonly ConfigurationPolicy[] = ["accept", "ignore"];

/** The refusal of a node that takes no configuration from the bus: read nothing, change nothing. */
export function refuseConfiguration(request: RequestTypeImpl): ResponseTypeImpl {
  return {
    node_id: request.node_id,
    transaction_id: request.transaction_id,
    success: false,
    err_code: ErrorCode.INTERNAL_ERROR,
    configuration: JSON.stringify({
      error: "Unsupported configuration request: this node takes no configuration from the bus",
      reason:
        "its operator started it with configuration requests ignored (--configuration ignore)",
    }),
  };
}

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
