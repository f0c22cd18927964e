import { bench, describe } from "vitest";
import {
  type CO2FootprintImpl,
  co2FootprintImplCodec,
  type MLModelImpl,
  mlModelImplCodec,
  writeExtraData,
} from "../src/index.ts";

/*
 * Each iteration is one encode + one decode (checked), so hz = samples/s round trips.
 * MB/s = hz × payload bytes / 1e6; payload sizes are printed once when the file loads.
 */

const co2: CO2FootprintImpl = {
  carbon_footprint: 12.5,
  energy_consumption: 0.034,
  carbon_intensity: 367.6,
  extra_data: writeExtraData({
    num_outputs: 1,
    model_restrains: ["bert-base-uncased"],
    mode: "tracker",
  }),
  task_id: { problem_id: 12, iteration_id: 3 },
};

const rawModel = new Uint8Array(1024 * 1024);
for (let i = 0; i < rawModel.length; i++) rawModel[i] = (i * 31) & 0xff;

const mlModel: MLModelImpl = {
  model_path: "/models/resnet50.onnx",
  model: "resnet50",
  raw_model: rawModel,
  model_properties_path: "/models/resnet50.json",
  model_properties: '{"framework":"onnx"}',
  input_batch: ["image"],
  target_latency: 12.5,
  extra_data: writeExtraData({ num_outputs: 1 }),
  task_id: { problem_id: 12, iteration_id: 3 },
};

const co2Bytes = co2FootprintImplCodec.encode(co2);
const mlBytes = mlModelImplCodec.encode(mlModel);
console.log(
  `payload bytes: CO2FootprintImpl ${co2Bytes.byteLength}, MLModelImpl ${mlBytes.byteLength}`,
);

function roundTrip<T>(
  codec: { encode(v: T): Uint8Array; decode(b: Uint8Array): { ok: boolean } },
  value: T,
) {
  const result = codec.decode(codec.encode(value));
  if (!result.ok) throw new Error("round trip failed");
}

/**
 * Bench options that time the measured ("run") iterations themselves and print samples/s and
 * MB/s, since vitest's table has no bytes column.
 */
function throughput(label: string, payloadBytes: number) {
  let samples = 0;
  let started = 0;
  return {
    setup: (_task: unknown, mode: "warmup" | "run") => {
      if (mode === "run") {
        samples = 0;
        started = performance.now();
      }
    },
    teardown: (_task: unknown, mode: "warmup" | "run") => {
      if (mode !== "run" || samples === 0) return;
      const seconds = (performance.now() - started) / 1000;
      const rate = samples / seconds;
      const mbps = (rate * payloadBytes) / 1e6;
      console.log(
        `THROUGHPUT ${label}: ${Math.round(rate).toLocaleString("en-US")} samples/s, ${mbps.toFixed(1)} MB/s (${payloadBytes} B payload)`,
      );
    },
    count: () => {
      samples++;
    },
  };
}

const co2Trip = throughput("CO2FootprintImpl encode+decode", co2Bytes.byteLength);
const mlTrip = throughput("MLModelImpl (1 MiB raw_model) encode+decode", mlBytes.byteLength);

describe("CO2FootprintImpl", () => {
  bench(
    "encode+decode",
    () => {
      roundTrip(co2FootprintImplCodec, co2);
      co2Trip.count();
    },
    { setup: co2Trip.setup, teardown: co2Trip.teardown },
  );
  bench("encode", () => {
    co2FootprintImplCodec.encode(co2);
  });
  bench("decode", () => {
    co2FootprintImplCodec.decode(co2Bytes);
  });
});

describe("MLModelImpl, 1 MiB raw_model", () => {
  bench(
    "encode+decode",
    () => {
      roundTrip(mlModelImplCodec, mlModel);
      mlTrip.count();
    },
    { setup: mlTrip.setup, teardown: mlTrip.teardown },
  );
  bench("encode", () => {
    mlModelImplCodec.encode(mlModel);
  });
  bench("decode", () => {
    mlModelImplCodec.decode(mlBytes);
  });
});
