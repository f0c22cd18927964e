import { createHash } from "node:crypto";
import type {
  EnergyBasis,
  MeasureFailure,
  Measurement,
  MeasureRequest,
  MeasurerReadiness,
} from "@wattprint/core";
import { failure, type Result } from "@wattprint/result";
import type { Measurer } from "../ports/measurer.ts";

export interface MemoryDevice {
  readonly id: string;
  readonly name: string;
  readonly component: string;
  readonly watts: number;
  readonly basis: EnergyBasis;
}

export interface MemoryMeasurerOptions {
  /** The models folder: model name → file. */
  readonly models?: Readonly<Record<string, string>>;
  /** model_path values that count as readable local `.onnx` files. */
  readonly runnablePaths?: readonly string[];
  readonly devices?: readonly MemoryDevice[];
  readonly inferencesPerSecond?: number;
  /** Files whose measurement fails, and how. */
  readonly failures?: Readonly<Record<string, MeasureFailure>>;
  /** Overrides the readiness derived from the devices. */
  readonly readiness?: MeasurerReadiness;
}

/**
 * The `Measurer` port's in-memory twin, for the node's tests: a models folder as a map, devices
 * drawing constant watts, a fixed inference rate, no model run and no wall-clock window.
 * energyJ = Σ watts × windowS and inferences = ⌊rate × windowS⌋, so a test knows the exact
 * figures. `hold()` makes the next measurements wait until released, to test what the node
 * does while one is running.
 */
export class MemoryMeasurer implements Measurer {
  readonly requests: MeasureRequest[] = [];
  private gate: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: MemoryMeasurerOptions = {}) {}

  readiness(): MeasurerReadiness {
    if (this.options.readiness) return this.options.readiness;
    const devices = this.options.devices ?? [];
    if (devices.length === 0) return { ready: false, reason: "no device to read" };
    return { ready: true, devices: devices.map((d) => `${d.id} (${d.component}, ${d.basis})`) };
  }

  async locateModel(modelName: string): Promise<{ file?: string; lookedFor: string }> {
    // Own keys only: a model name such as "__proto__" or "constructor" arrives on the bus.
    const { models } = this.options;
    const file =
      models !== undefined && Object.hasOwn(models, modelName) ? models[modelName] : undefined;
    return { ...(file !== undefined ? { file } : {}), lookedFor: `memory:${modelName}` };
  }

  async runnablePath(modelPath: string): Promise<string | undefined> {
    return this.options.runnablePaths?.includes(modelPath) ? modelPath : undefined;
  }

  /** Measurements started from now on wait until the returned function is called. */
  hold(): () => void {
    let release: () => void = () => {};
    this.gate = new Promise((resolve) => {
      release = resolve;
    });
    return () => {
      this.gate = undefined;
      release();
    };
  }

  async measure(request: MeasureRequest): Promise<Result<Measurement, MeasureFailure>> {
    if (this.closed) return { ok: false, error: failure("closed", "the measurer is closed") };
    this.requests.push(request);
    if (this.gate) await this.gate;
    const { failures } = this.options;
    const failed =
      failures !== undefined && Object.hasOwn(failures, request.modelFile)
        ? failures[request.modelFile]
        : undefined;
    if (failed) return { ok: false, error: failed };
    const devices = (this.options.devices ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      component: d.component,
      energyJ: d.watts * request.windowS,
      basis: d.basis,
    }));
    const components = new Map<string, { energyJ: number; basis: EnergyBasis }>();
    for (const device of devices) {
      const sum = components.get(device.component);
      components.set(device.component, {
        energyJ: (sum?.energyJ ?? 0) + device.energyJ,
        basis: sum === undefined || sum.basis === device.basis ? device.basis : "mixed",
      });
    }
    const rate = this.options.inferencesPerSecond ?? 1000;
    return {
      ok: true,
      value: {
        inferences: Math.floor(rate * request.windowS),
        windowS: request.windowS,
        loadS: 0,
        energyJ: devices.reduce((sum, d) => sum + d.energyJ, 0),
        components: [...components].map(([component, c]) => ({ component, ...c })),
        devices,
        sha256: createHash("sha256").update(request.modelFile).digest("hex"),
        batchSize: request.batchSize ?? 1,
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
