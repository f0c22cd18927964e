import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";

/**
 * Tiny ONNX models written in the tests with onnx-proto (the ONNX protobuf schema), never
 * downloaded: a file the tests control byte for byte, loaded by the real onnxruntime.
 *
 * - `matmul-relu`: y = Relu(x · W), x float32 [batch, size], W an identity-like size × size
 *   initializer; the batch dimension is symbolic ("batch").
 * - `sequence-input`: its one input is a sequence of tensors, which the measurer cannot
 *   feed (SequenceLength of it is the output).
 * - `huge-input`: a float32 input of a fixed 65536 × 65536 shape, over any feed limit.
 * - `endless-loop`: one forward pass that does not end (a Loop of 4·10¹² trips).
 * - `bfloat16-input`: a bfloat16 input, which onnxruntime-node loads and then refuses to
 *   describe to JavaScript.
 * - `expanding-output`: one float32 input element expanded to a [size, 1048576] output
 *   (size × 4 MiB), the memory a model can make from a tiny feed.
 * - `zero-dim`: a Relu whose input declares a dimension of 0 ([0, 4]): an empty tensor.
 * - `slow-loop`: the same Loop of `size` thousand trips: one pass as slow as wanted.
 * - `large-weights`: a float32 initializer of `size` MiB added to its one input and summed,
 *   a model whose weights alone take memory once loaded. Models of this kind written with
 *   different `size`s, or the same one under `seed`s, hash differently.
 */
export type TestModelKind =
  | "matmul-relu"
  | "sequence-input"
  | "huge-input"
  | "endless-loop"
  | "bfloat16-input"
  | "expanding-output"
  | "large-weights"
  | "slow-loop"
  | "zero-dim";

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorInput(
  name: string,
  dims: readonly (number | string)[],
  elemType: number = FLOAT,
): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })),
        },
      },
    },
  };
}

/** A Loop of `trips` additions of 1: the runtime a trip takes, times `trips`, in one pass. */
function loopGraph(name: string, trips: number): OnnxTypes.IGraphProto {
  const INT64 = onnx.TensorProto.DataType.INT64;
  const BOOL = onnx.TensorProto.DataType.BOOL;
  const body: OnnxTypes.IGraphProto = {
    name: "body",
    node: [
      { opType: "Identity", input: ["cond_in"], output: ["cond_out"] },
      { opType: "Add", input: ["v_in", "one"], output: ["v_out"] },
    ],
    initializer: [{ name: "one", dims: [1], dataType: FLOAT, floatData: [1] }],
    input: [
      tensorInput("iter", [], INT64),
      tensorInput("cond_in", [], BOOL),
      tensorInput("v_in", [1]),
    ],
    output: [tensorInput("cond_out", [], BOOL), tensorInput("v_out", [1])],
  };
  return {
    name,
    initializer: [
      { name: "trips", dims: [], dataType: INT64, int64Data: [trips] },
      { name: "go", dims: [], dataType: BOOL, int32Data: [1] },
    ],
    node: [
      {
        opType: "Loop",
        input: ["trips", "go", "x"],
        output: ["y"],
        attribute: [{ name: "body", type: onnx.AttributeProto.AttributeType.GRAPH, g: body }],
      },
    ],
    input: [tensorInput("x", [1])],
    output: [tensorInput("y", [1])],
  };
}

function graph(kind: TestModelKind, size: number, seed: number): OnnxTypes.IGraphProto {
  switch (kind) {
    case "matmul-relu": {
      const weights = Array.from({ length: size * size }, (_, i) =>
        i % (size + 1) === 0 ? 1 : 0.001,
      );
      return {
        name: "matmul_relu",
        initializer: [{ name: "W", dims: [size, size], dataType: FLOAT, floatData: weights }],
        node: [
          { opType: "MatMul", input: ["x", "W"], output: ["xw"] },
          { opType: "Relu", input: ["xw"], output: ["y"] },
        ],
        input: [tensorInput("x", ["batch", size])],
        output: [tensorInput("y", ["batch", size])],
      };
    }
    case "sequence-input":
      return {
        name: "sequence_input",
        node: [{ opType: "SequenceLength", input: ["items"], output: ["count"] }],
        input: [
          {
            name: "items",
            type: { sequenceType: { elemType: { tensorType: { elemType: FLOAT } } } },
          },
        ],
        output: [
          {
            name: "count",
            type: {
              tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [] } },
            },
          },
        ],
      };
    case "huge-input":
      return {
        name: "huge_input",
        node: [{ opType: "Relu", input: ["x"], output: ["y"] }],
        input: [tensorInput("x", [65_536, 65_536])],
        output: [tensorInput("y", [65_536, 65_536])],
      };
    case "endless-loop":
      return loopGraph("endless_loop", 4_000_000_000_000);
    case "slow-loop":
      return loopGraph("slow_loop", size * 1000);
    case "zero-dim":
      return {
        name: "zero_dim",
        node: [{ opType: "Relu", input: ["x"], output: ["y"] }],
        input: [tensorInput("x", [0, 4])],
        output: [tensorInput("y", [0, 4])],
      };
    case "expanding-output":
      return {
        name: "expanding_output",
        initializer: [
          {
            name: "shape",
            dims: [2],
            dataType: onnx.TensorProto.DataType.INT64,
            int64Data: [size, 1_048_576],
          },
        ],
        node: [{ opType: "Expand", input: ["x", "shape"], output: ["y"] }],
        input: [tensorInput("x", [1])],
        output: [tensorInput("y", [size, 1_048_576])],
      };
    case "large-weights": {
      const values = (size * 1024 * 1024) / 4;
      const raw = new Uint8Array(values * 4);
      // Little-endian 1.0 as the first value, and a byte of `seed` after it: distinct files.
      raw.set([0, 0, 128, 63], 0);
      raw[4] = seed;
      return {
        name: "large_weights",
        initializer: [{ name: "W", dims: [values], dataType: FLOAT, rawData: raw }],
        node: [
          { opType: "Add", input: ["x", "W"], output: ["xw"] },
          {
            opType: "ReduceSum",
            input: ["xw"],
            output: ["y"],
            attribute: [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
          },
        ],
        input: [tensorInput("x", [1])],
        output: [tensorInput("y", [])],
      };
    }
    case "bfloat16-input": {
      const BFLOAT16 = onnx.TensorProto.DataType.BFLOAT16;
      return {
        name: "bfloat16_input",
        node: [{ opType: "Identity", input: ["x"], output: ["y"] }],
        input: [tensorInput("x", [1, 4], BFLOAT16)],
        output: [tensorInput("y", [1, 4], BFLOAT16)],
      };
    }
  }
}

/** The model's bytes. `size` is the matmul's width, or the weights' MiB (default 64). */
export function testOnnxModel(kind: TestModelKind, size = 64, seed = 0): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "wattprint-testkit",
    graph: graph(kind, size, seed),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Writes `testOnnxModel(kind, size)` to `dir/fileName` and returns the path. */
export async function writeTestOnnxModel(
  dir: string,
  fileName: string,
  kind: TestModelKind,
  size?: number,
  seed?: number,
): Promise<string> {
  const path = join(dir, fileName);
  await writeFile(path, testOnnxModel(kind, size, seed));
  return path;
}
