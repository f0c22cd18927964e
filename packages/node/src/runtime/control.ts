import { CmdNode, CmdTask, type NodeControlImpl, type TaskIdImpl } from "@wattprint/messages";

/**
 * What a NodeControl command asks of this node. SustainML's nodes subscribe to
 * `/sustainml/control` and ignore every command; this runtime honours them.
 */
export type ControlAction =
  | { readonly kind: "drop-task"; readonly taskId: TaskIdImpl; readonly refuseLater: boolean }
  | { readonly kind: "unsupported"; readonly what: string }
  | { readonly kind: "pause" }
  | { readonly kind: "resume" }
  | { readonly kind: "reset" }
  | { readonly kind: "terminate" };

/** `target_node` is the display name (CARBON_FOOTPRINT, as in PR #85) or the participant name. */
export function controlActions(
  command: NodeControlImpl,
  node: { readonly displayName: string; readonly nodeName: string },
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
