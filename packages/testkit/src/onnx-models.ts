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
 */
export type TestModelKind = "matmul-relu" | "sequence-input" | "huge-input";

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorInput(name: string, dims: readonly (number | string)[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })),
        },
      },
    },
  };
}

function graph(kind: TestModelKind, size: number): OnnxTypes.IGraphProto {
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
  }
}

/** The model's bytes. `size` is the matmul's width (default 64). */
export function testOnnxModel(kind: TestModelKind, size = 64): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "wattprint-testkit",
    graph: graph(kind, size),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Writes `testOnnxModel(kind, size)` to `dir/fileName` and returns the path. */
export async function writeTestOnnxModel(
  dir: string,
  fileName: string,
  kind: TestModelKind,
  size?: number,
): Promise<string> {
  const path = join(dir, fileName);
  await writeFile(path, testOnnxModel(kind, size));
  return path;
}
