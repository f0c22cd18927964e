import { formatNumber } from "@wattprint/core";
import {
  DOMAIN_ID_ENV,
  enumName,
  NodeName,
  PARTICIPANT_PROPERTIES,
  readExtraData,
  Status,
  writeExtraData,
} from "@wattprint/messages";
import {
  type BusPort,
  checkInterfaceOnThisMachine,
  createMemoryLogger,
  createRtpsBus,
  explainBusOpenError,
  INTERFACE_ENV,
  MAX_DOMAIN_ID,
  parseBusOptions,
  startTaskClient,
  type TaskClient,
} from "@wattprint/node";
import { z } from "zod";
import { inCommand, parseCommandArgs, parseNumberFlag, quoted } from "../args.ts";
import { commandFailure } from "../error-output.ts";
import type { CliIo } from "../io.ts";
import { jsonText } from "../render/json-text.ts";
import { terminalSafe } from "../render/terminal-text.ts";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "../usage-error.ts";

/** A day: longer is a typo, and waits of 1e300 s would never end. */
const MAX_TIMEOUT_S = 86_400;
const U32_MAX = 2 ** 32 - 1;

const HELP = `usage: wattprint bus send-task [options]

Plays a minimal SustainML orchestrator: publishes the ML model, user input and HW resource
of one task over RTPS, prints the Carbontracker Node's status changes and its CO2Footprint.
Use it on a test domain: a live SustainML orchestrator does not expect this participant.

  --domain N          DDS domain 0..${MAX_DOMAIN_ID} (env ${DOMAIN_ID_ENV}; default 0)
  --interface ADDR    IPv4 address of the interface to use (env ${INTERFACE_ENV}; default 127.0.0.1)
  --problem N         task problem_id (default: from the clock, so runs never collide)
  --iteration N       task iteration_id (default 1)
  --model NAME        MLModel.model (default bert-base; NO_MODEL to see an error)
  --model-path PATH   MLModel.model_path (default model.onnx)
  --hw NAME           HWResource.hw_description (default PIM_AI_1chip)
  --power W           HWResource.power_consumption in watts (default 100)
  --latency X         HWResource.latency, in the node's latency unit (default 0.5)
  --region NAME       UserInput.geo_location_region (default Spain)
  --continent NAME    UserInput.geo_location_continent (default Europe)
  --num-outputs N     UserInput extra_data num_outputs (default 1)
  --timeout S         seconds to wait for the answer, at most ${MAX_TIMEOUT_S} (default 15)
  --json              print the outcome as JSON
`;

const OPTIONS = {
  domain: { type: "string" },
  interface: { type: "string" },
  problem: { type: "string" },
  iteration: { type: "string" },
  model: { type: "string" },
  "model-path": { type: "string" },
  hw: { type: "string" },
  power: { type: "string" },
  latency: { type: "string" },
  region: { type: "string" },
  continent: { type: "string" },
  "num-outputs": { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The part of the node's extra_data.intensity this command prints. */
const intensityShape = z.object({
  zone: z.string(),
  zone_name: z.string().optional(),
  level: z.string().optional(),
  year: z.number().optional(),
});

const statusName = (status: number): string => String(enumName(Status, status) ?? status);

async function sendTask(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("bus send-task", argv, OPTIONS);
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0)
    throw new UsageError(`bus send-task: unexpected argument ${quoted(positionals[0] ?? "")}`);
  const u32 = { min: 0, max: U32_MAX, integer: true };
  // The same rule and messages as wattprint-node: flag, else variable, else default.
  const { domainId, interfaceAddress: address } = inCommand("bus send-task", () => {
    const options = parseBusOptions(values, io.env);
    checkInterfaceOnThisMachine(options);
    return options;
  });
  const taskId = {
    problem_id:
      parseNumberFlag("bus send-task", "problem", values.problem, u32) ??
      Math.floor(Date.now() / 1000) % 2 ** 31,
    iteration_id: parseNumberFlag("bus send-task", "iteration", values.iteration, u32) ?? 1,
  };
  if (taskId.problem_id === 0 && taskId.iteration_id === 0)
    throw new UsageError("bus send-task: task (0,0) is invalid in SustainML");
  const power = parseNumberFlag("bus send-task", "power", values.power, { min: 0 }) ?? 100;
  const latency = parseNumberFlag("bus send-task", "latency", values.latency, { min: 0 }) ?? 0.5;
  const numOutputs =
    parseNumberFlag("bus send-task", "num-outputs", values["num-outputs"], {
      min: 1,
      max: U32_MAX,
      integer: true,
    }) ?? 1;
  const timeoutMs =
    (parseNumberFlag("bus send-task", "timeout", values.timeout, {
      min: 0.1,
      max: MAX_TIMEOUT_S,
      unit: "seconds",
    }) ?? 15) * 1000;

  let bus: BusPort;
  try {
    bus = await createRtpsBus({
      participantName: "WATTPRINT_SEND_TASK",
      domainId,
      interfaceAddress: address,
      properties: PARTICIPANT_PROPERTIES,
      logger: createMemoryLogger(),
    });
  } catch (error) {
    // Ports taken or sockets refused: the environment, not the flags (those were checked).
    const reason = explainBusOpenError(error);
    if (reason === undefined) throw error;
    commandFailure(io, "bus-unavailable", `wattprint bus send-task: ${reason}`);
    return EXIT_FAILURE;
  }
  const say = (line: string) => {
    if (!values.json) io.stdout(`${line}\n`);
  };
  const noNode = (message: string): number => {
    commandFailure(
      io,
      "no-node",
      `wattprint bus send-task: ${message} (is wattprint-node running on domain ${domainId}, interface ${address}?)`,
    );
    return EXIT_FAILURE;
  };
  try {
    const client: TaskClient = await startTaskClient(bus);
    client.onEvent((event) => {
      if (event.kind === "status" && event.status.node_name === NodeName.CARBON_FOOTPRINT_NODE) {
        // The description is the peer's text: printed with its control characters escaped.
        const description = terminalSafe(event.status.error_description);
        const detail = description ? `: ${description}` : "";
        say(`status  ${statusName(event.status.node_status)}${detail}`);
      }
    });
    say(
      `bus     rtps domain ${domainId} on ${address}; waiting for ${NodeName.CARBON_FOOTPRINT_NODE}`,
    );
    const status = await client.waitUntil(
      () => client.statuses.length > 0,
      "the node's status",
      timeoutMs,
    );
    if (!status.ok) return noNode(status.error.message);
    await client.sendTask(taskId, {
      model: {
        ...(values.model ? { model: values.model } : {}),
        ...(values["model-path"] ? { model_path: values["model-path"] } : {}),
      },
      hw: {
        power_consumption: power,
        latency,
        ...(values.hw ? { hw_description: values.hw } : {}),
      },
      userInput: {
        geo_location_region: values.region ?? "Spain",
        geo_location_continent: values.continent ?? "Europe",
        extra_data: writeExtraData({ num_outputs: numOutputs }),
      },
    });
    say(
      `sent    task (${taskId.problem_id},${taskId.iteration_id}): ${power} W x latency ${latency}`,
    );
    const mine = () =>
      client.outputs.find(
        (o) =>
          o.task_id.problem_id === taskId.problem_id &&
          o.task_id.iteration_id === taskId.iteration_id,
      );
    const answered = await client.waitUntil(
      () => mine() !== undefined,
      "the CO2Footprint",
      timeoutMs,
    );
    if (!answered.ok) return noNode(answered.error.message);
    const output = mine();
    if (output === undefined) throw new Error("waitUntil returned before the output arrived");
    const extra = readExtraData(output.extra_data);
    const extraJson = extra.ok ? extra.value : { undecodable: extra.error.message };
    if (values.json) {
      io.stdout(
        `${jsonText(
          {
            task_id: output.task_id,
            statuses: client.statuses.map((s) => statusName(s.node_status)),
            carbon_footprint: { value: output.carbon_footprint, unit: "gCO2eq" },
            energy_consumption: { value: output.energy_consumption, unit: "kWh" },
            carbon_intensity: { value: output.carbon_intensity, unit: "gCO2eq/kWh" },
            extra_data: extraJson,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      say(`CO2Footprint for task (${output.task_id.problem_id},${output.task_id.iteration_id})`);
      const intensity = intensityShape.safeParse(extraJson.intensity);
      const where = intensity.success
        ? ` (${terminalSafe([intensity.data.zone_name ?? intensity.data.zone, intensity.data.level, intensity.data.year].filter((x) => x !== undefined).join(", "))})`
        : "";
      say(`  carbon_footprint    ${formatNumber(output.carbon_footprint)} gCO2eq`);
      say(`  energy_consumption  ${formatNumber(output.energy_consumption)} kWh`);
      say(`  carbon_intensity    ${formatNumber(output.carbon_intensity)} gCO2eq/kWh${where}`);
      const keys = ["mode", "mode_reason", "inferences", "window_s", "num_outputs"];
      for (const key of [...keys, "model_restrains", "error", "warnings"]) {
        if (extraJson[key] !== undefined) say(`  ${key.padEnd(18)}  ${jsonText(extraJson[key])}`);
      }
      say("  (--json prints the full extra_data with the sources of every figure)");
    }
    return EXIT_OK;
  } catch (error) {
    // The bus itself failed mid-session (a socket error); a timeout is answered above.
    const message = error instanceof Error ? error.message : String(error);
    return noNode(message);
  } finally {
    await bus.close();
  }
}

export async function runBus(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "send-task") return sendTask(rest, io);
  if (sub === undefined || sub === "--help" || sub === "-h") {
    // Asked for, the help is the output; without a subcommand it is a usage error's text.
    if (sub === undefined) io.stderr(HELP);
    else io.stdout(HELP);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  throw new UsageError(
    `bus: unknown subcommand ${quoted(sub ?? "")}; try: wattprint bus send-task --help`,
  );
}
