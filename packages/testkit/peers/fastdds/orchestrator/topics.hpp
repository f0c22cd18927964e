// SustainML topic names (docs/sustainml-wire.md §4.1); the leading '/' is part of the data topics.
#pragma once

namespace peer {

constexpr const char* kTopicControl = "/sustainml/control";
constexpr const char* kTopicStatus = "/sustainml/status";
constexpr const char* kTopicUserInput = "/sustainml/user_input";
constexpr const char* kTopicMLModel = "/sustainml/ml_model_provider/output";
constexpr const char* kTopicHWResource = "/sustainml/hw_resources/output";
constexpr const char* kTopicCarbonOutput = "/sustainml/carbon_tracker/output";
constexpr const char* kTopicRequest = "sustainml/request";
constexpr const char* kTopicResponse = "sustainml/response";

constexpr const char* kOrchestratorName = "ORCHESTRATOR_NODE";
constexpr const char* kCarbonNodeName = "CARBON_FOOTPRINT_NODE";

} // namespace peer
