import { describe, expect, it } from "vitest";
import { codecFor } from "./registry.ts";
import { codecForTopic, TASK_DATA_QOS, TOPIC_LIST, TOPICS, topicByName } from "./topics.ts";

describe("topic catalogue", () => {
  it("lists the fourteen SustainML topics with their wire types", () => {
    expect(TOPIC_LIST.map((t) => [t.name, t.typeName])).toEqual([
      ["/sustainml/control", "NodeControlImpl"],
      ["/sustainml/status", "NodeStatusImpl"],
      ["/sustainml/user_input", "UserInputImpl"],
      ["/sustainml/app_requirements/output", "AppRequirementsImpl"],
      ["/sustainml/ml_model_metadata/output", "MLModelMetadataImpl"],
      ["/sustainml/hw_constraints/output", "HWConstraintsImpl"],
      ["/sustainml/ml_model_provider/output", "MLModelImpl"],
      ["/sustainml/hw_resources/output", "HWResourceImpl"],
      ["/sustainml/carbon_tracker/output", "CO2FootprintImpl"],
      ["/sustainml/ml_model_provider/baseline", "MLModelImpl"],
      ["/sustainml/hw_resources/baseline", "HWResourceImpl"],
      ["/sustainml/carbon_tracker/baseline", "CO2FootprintImpl"],
      ["sustainml/request", "RequestTypeImpl"],
      ["sustainml/response", "ResponseTypeImpl"],
    ]);
  });

  it("has a codec for every topic type", () => {
    for (const topic of TOPIC_LIST) expect(codecFor(topic.typeName)?.typeName).toBe(topic.typeName);
    expect(codecFor("CarbonFootprintService_Request")).toBeUndefined();
    expect(codecFor("toString")).toBeUndefined();
  });

  it("config topics have no leading slash and exist only before main", () => {
    expect(TOPICS.configRequest.name.startsWith("/")).toBe(false);
    expect(TOPICS.configResponse.versions).toEqual(["v0.1.0", "v0.2.0"]);
  });

  it("carbon node endpoints: 3 input readers, control reader, status + output writers", () => {
    const node = TOPIC_LIST.filter(
      (t) => t.carbonNode !== undefined && t.versions.includes("main"),
    );
    expect(node.map((t) => `${t.carbonNode?.role} ${t.name}`).sort()).toEqual([
      "reader /sustainml/control",
      "reader /sustainml/hw_resources/output",
      "reader /sustainml/ml_model_provider/output",
      "reader /sustainml/user_input",
      "writer /sustainml/carbon_tracker/output",
      "writer /sustainml/status",
    ]);
  });

  it("status and output writers offer what the orchestrator's readers request", () => {
    for (const topic of [TOPICS.status, TOPICS.carbonOutput]) {
      expect(topic.carbonNode.qos.reliability).toBe("reliable");
      expect(topic.carbonNode.qos.durability).toBe("transient-local");
      expect(topic.orchestrator.qos).toEqual(TASK_DATA_QOS);
    }
    expect(TOPICS.status.orchestrator.contentFilter).toEqual({
      topicName: "/sustainml/status_CARBON_FOOTPRINT_NODE",
      expression: "node_name like %0",
      parameters: ["'CARBON_FOOTPRINT_NODE'"],
    });
  });

  it("input readers: RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 1, 500/1; control reader best effort", () => {
    expect(TOPICS.userInput.carbonNode.qos).toEqual({
      reliability: "reliable",
      durability: "transient-local",
      history: { kind: "keep-last", depth: 1 },
      resourceLimits: { maxInstances: 500, maxSamplesPerInstance: 1 },
    });
    expect(TOPICS.control.carbonNode.qos).toMatchObject({
      reliability: "best-effort",
      durability: "volatile",
    });
    expect("resourceLimits" in TOPICS.status.carbonNode.qos).toBe(false);
  });

  it("finds topics by exact name", () => {
    expect(topicByName("/sustainml/carbon_tracker/output")?.typeName).toBe("CO2FootprintImpl");
    expect(topicByName("sustainml/carbon_tracker/output")).toBeUndefined();
    expect(codecForTopic("/sustainml/status")?.typeName).toBe("NodeStatusImpl");
    expect(codecForTopic("/sustainml/status_CARBON_FOOTPRINT_NODE")).toBeUndefined();
  });
});
