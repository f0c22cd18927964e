// fastdds-type-vectors: prints the bytes Fast DDS 2.9 (via these hand-written types) puts on the
// wire for one sample of each type, and its key hash, so the TS codecs can be compared with
// them and the types checked against docs/sustainml-wire.md §7.3 and §7.5. Creates no participant.
#include <cstring>
#include <string>
#include <vector>

#include "common/output.hpp"
#include "orchestrator/bus.hpp"
#include "types/bench_sample.hpp"
#include "types/keyed_seq.hpp"

namespace {

using namespace peer;

std::string hex_of(const uint8_t* data, size_t size)
{
    return hex(std::vector<uint8_t>(data, data + size), size);
}

template<typename Traits>
bool dump(typename Traits::Sample sample)
{
    CdrTopicType<Traits> type;
    SerializedPayload_t payload(type.getSerializedSizeProvider(&sample)());
    if (!type.serialize(&sample, &payload))
    {
        emit(std::string("SERIALIZE_FAILED type=") + Traits::kName);
        return false;
    }
    InstanceHandle_t handle;
    type.getKey(&sample, &handle);
    // Decode and encode again: the bytes must survive a round trip through our own reader.
    typename Traits::Sample copy;
    SerializedPayload_t again(payload.length);
    bool round_trip = type.deserialize(&payload, &copy) && type.serialize(&copy, &again) &&
            again.length == payload.length && std::memcmp(again.data, payload.data, payload.length) == 0;
    emit(std::string("VECTOR type=") + Traits::kName + " key=" + hex_of(handle.value, 16) + " roundtrip=" +
            (round_trip ? "1" : "0") + " bytes=" + hex_of(payload.data, payload.length));
    return round_trip;
}

TaskId task(uint32_t problem, uint32_t iteration)
{
    return TaskId{problem, iteration};
}

} // namespace

int main()
{
    bool ok = true;
    ok = dump<CO2FootprintTraits>({1.5, 2.25, 301.0, {1, 2, 3}, task(7, 1)}) && ok;

    UserInput ui;
    ui.problem_short_description = "wattprint end-to-end task";
    ui.geo_location_continent = "Europe";
    ui.geo_location_region = "Spain";
    ui.extra_data = {'{', '}'};
    ui.task_id = task(1, 1);
    ok = dump<UserInputTraits>(ui) && ok;

    MLModel model;
    model.model = "bert-base";
    model.model_path = "model.onnx";
    model.input_batch = {"a", "bc"};
    model.target_latency = 0.25;
    model.task_id = task(1, 1);
    ok = dump<MLModelTraits>(model) && ok;

    HWResource hw;
    hw.hw_description = "PIM_AI_1chip";
    hw.power_consumption = 100;
    hw.latency = 0.5;
    hw.task_id = task(1, 1);
    ok = dump<HWResourceTraits>(hw) && ok;

    NodeStatus status;
    status.node_status = 2;
    status.node_name = "CARBON_FOOTPRINT_NODE";
    ok = dump<NodeStatusTraits>(status) && ok;

    NodeControl control;
    control.cmd_node = 3;
    control.cmd_task = 1;
    control.target_node = "CARBON_FOOTPRINT";
    control.source_node = "ORCHESTRATOR";
    control.task_id = task(1, 1);
    ok = dump<NodeControlTraits>(control) && ok;

    ok = dump<RequestTraits>({1, 1, "cfg"}) && ok;
    ok = dump<ResponseTraits>({1, 1, false, 1, "{}"}) && ok;
    ok = dump<BenchSampleTraits>({1, 2, {0xab}}) && ok;
    ok = dump<KeyedSeqTraits>({5, 0, {0xee, 0xee}}) && ok;
    emit(std::string("EXIT ") + (ok ? "0" : "1"));
    return ok ? 0 : 1;
}
