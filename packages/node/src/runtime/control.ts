import {
  CmdNode,
  CmdTask,
  enumName,
  type NodeControlImpl,
  type TaskIdImpl,
} from "@wattprint/messages";

/**
 * What a NodeControl command asks of this node. SustainML's nodes subscribe to
 * `/sustainml/control` and ignore every command; this runtime honours them.
 */
export type ControlAction =
  | { readonly kind: "drop-task"; readonly taskId: TaskIdImpl; readonly refuseLater: boolean }
  | { readonly kind: "unsupported"; readonly what: string }
  /** A node command this node was told by its operator not to take from the bus. */
  | { readonly kind: "ignored"; readonly what: string }
  | { readonly kind: "pause" }
  | { readonly kind: "resume" }
  | { readonly kind: "reset" }
  | { readonly kind: "terminate" };

/**
 * Whether node commands (START, STOP, RESET, TERMINATE) from the bus are acted on. Any peer
 * that reaches the node can send one, and TERMINATE_NODE stops it: an operator who runs the
 * node on a network it does not trust takes `ignore` (task commands are still honoured).
 */
export type NodeCommandPolicy = "accept" | "ignore";
export const NODE_COMMAND_POLICIES: readonly NodeCommandPolicy[] = ["accept", "ignore"];

/** `target_node` is the display name (CARBON_FOOTPRINT, as in PR #85) or the participant name. */
export function controlActions(
  command: NodeControlImpl,
  node: { readonly displayName: string; readonly nodeName: string },
  nodeCommands: NodeCommandPolicy = "accept",
): ControlAction[] | undefined {
  if (command.target_node !== node.displayName && command.target_node !== node.nodeName)
    return undefined;
  const actions: ControlAction[] = [];
  switch (command.cmd_task) {
    case CmdTask.STOP_TASK:
    case CmdTask.TERMINATE_TASK:
      actions.push({ kind: "drop-task", taskId: command.task_id, refuseLater: true });
      break;
    case CmdTask.RESET_TASK:
      actions.push({ kind: "drop-task", taskId: command.task_id, refuseLater: false });
      break;
    case CmdTask.PREEMPT_TASK:
      actions.push({
        kind: "unsupported",
        what: "PREEMPT_TASK: tasks take microseconds and cannot be preempted",
      });
      break;
    default:
      break;
  }
  if (nodeCommands === "ignore" && command.cmd_node !== CmdNode.NO_CMD_NODE) {
    actions.push({
      kind: "ignored",
      what: `${enumName(CmdNode, command.cmd_node)}: this node takes no node commands from the bus (--node-commands ignore)`,
    });
    return actions;
  }
  switch (command.cmd_node) {
    case CmdNode.STOP_NODE:
      actions.push({ kind: "pause" });
      break;
    case CmdNode.START_NODE:
      actions.push({ kind: "resume" });
      break;
    case CmdNode.RESET_NODE:
      actions.push({ kind: "reset" });
      break;
    case CmdNode.TERMINATE_NODE:
      actions.push({ kind: "terminate" });
      break;
    default:
      break;
  }
  return actions;
}
