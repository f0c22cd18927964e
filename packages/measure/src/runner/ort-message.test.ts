import { describe, expect, it } from "vitest";
import { onnxruntimeMessage } from "./ort-message.ts";

describe("onnxruntimeMessage", () => {
  it("keeps onnxruntime's sentence without the source location and C++ signature", () => {
    const raw =
      "Load model from /tmp/empty.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:187 onnxruntime::Model::Model(onnx::ModelProto&&, const onnxruntime::PathString&, const onnxruntime::IOnnxRuntimeOpSchemaRegistryList*, const onnxruntime::logging::Logger&, const onnxruntime::ModelOptions&) ModelProto does not have a graph.\n";
    expect(onnxruntimeMessage(raw)).toBe("ModelProto does not have a graph.");
  });

  it("drops the load prefix of a message without internals", () => {
    expect(onnxruntimeMessage("Load model from /tmp/j.onnx failed:Protobuf parsing failed.")).toBe(
      "Protobuf parsing failed.",
    );
  });

  it("leaves other messages as they are", () => {
    expect(onnxruntimeMessage("Unsupported data type: 16")).toBe("Unsupported data type: 16");
  });
});
