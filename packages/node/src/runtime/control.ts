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
  /** A command this node was told by its operator not to take from the bus. */
  | { readonly kind: "ignored"; readonly what: string }
  /** STOP/TERMINATE_TASK for a task the node does not hold: nothing to stop, nothing remembered. */
  | { readonly kind: "not-held"; readonly what: string }
  | { readonly kind: "pause" }
  | { readonly kind: "resume" }
  | { readonly kind: "reset" }
  | { readonly kind: "terminate" };

/**
 * Whether NodeControl commands from the bus are acted on. Any peer that reaches the node can
 * send one, and TERMINATE_NODE stops it: an operator who runs the node on a network it does not
 * trust takes `ignore`. Task commands fall under it too: a STOP_TASK from such a peer drops a
 * genuine task in flight, and SustainML's orchestrator sends none (its own nodes act on none).
 */
export type NodeCommandPolicy = "accept" | "ignore";
export const NODE_COMMAND_POLICIES: readonly NodeCommandPolicy[] = ["accept", "ignore"];

/**
 * `target_node` is the display name (CARBON_FOOTPRINT, as in PR #85) or the participant name.
 * `taskHeld`: the node holds `command.task_id` (pending, queued, deferred or running). A stop
 * is honoured only for such a task: a stop for an id never seen was remembered (1,000 of them),
 * and a peer stopping ids 1..1000 made the node refuse the orchestrator's next tasks.
 */
export function controlActions(
  command: NodeControlImpl,
  node: { readonly displayName: string; readonly nodeName: string },
  nodeCommands: NodeCommandPolicy = "accept",
  taskHeld = true,
): ControlAction[] | undefined {
  if (command.target_node !== node.displayName && command.target_node !== node.nodeName)
    return undefined;
  const actions: ControlAction[] = [];
  if (nodeCommands === "ignore") {
    if (command.cmd_task !== CmdTask.NO_CMD_TASK || command.cmd_node !== CmdNode.NO_CMD_NODE) {
      const names = [
        ...(command.cmd_task !== CmdTask.NO_CMD_TASK ? [enumName(CmdTask, command.cmd_task)] : []),
        ...(command.cmd_node !== CmdNode.NO_CMD_NODE ? [enumName(CmdNode, command.cmd_node)] : []),
      ];
      actions.push({
        kind: "ignored",
        what: `${names.join(", ")}: this node takes no commands from the bus (--node-commands ignore)`,
      });
    }
    return actions;
  }
  switch (command.cmd_task) {
    case CmdTask.STOP_TASK:
    case CmdTask.TERMINATE_TASK:
      actions.push(
        taskHeld
          ? { kind: "drop-task", taskId: command.task_id, refuseLater: true }
          : {
              kind: "not-held",
              what: `${enumName(CmdTask, command.cmd_task)}: this node holds no such task`,
            },
      );
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
