// The three inputs the orchestrator writes per task, with the values rtps/e2e tests expect.
#pragma once

#include <string>
#include <vector>

#include "../common/cli.hpp"
#include "../types/hw_resource.hpp"
#include "../types/ml_model.hpp"
#include "../types/user_input.hpp"
#include "bus.hpp"

namespace peer {

struct TaskInputs
{
    std::string model = "bert-base";
    std::string model_path = "model.onnx";
    std::string hw_description = "PIM_AI_1chip";
    double power_w = 100;
    double latency = 0.5;
    std::string region = "Spain";
    std::string continent = "Europe";
    std::string user_extra = "{\"num_outputs\":1}";
    // 0: task i is (i, 1), a new problem each; P > 0: task i is (P, i).
    uint32_t fixed_problem = 0;
};

inline TaskInputs task_inputs(const Cli& cli)
{
    TaskInputs t;
    t.model = cli.text("model", t.model);
    t.model_path = cli.text("model-path", t.model_path);
    t.hw_description = cli.text("hw", t.hw_description);
    t.power_w = cli.real("power", t.power_w);
    t.latency = cli.real("latency", t.latency);
    t.region = cli.text("region", t.region);
    t.continent = cli.text("continent", t.continent);
    t.user_extra = cli.text("user-extra", t.user_extra);
    t.fixed_problem = static_cast<uint32_t>(cli.integer("fixed-problem", 0));
    return t;
}

inline TaskId task_id_for(const TaskInputs& t, uint32_t index)
{
    return t.fixed_problem == 0 ? TaskId{index, 1} : TaskId{t.fixed_problem, index};
}

inline std::vector<uint8_t> bytes_of(const std::string& text)
{
    return std::vector<uint8_t>(text.begin(), text.end());
}

// User input first (it starts a task upstream), then the model and HW outputs; returns whether
// all three writes succeeded.
inline bool write_task(OrchestratorBus& bus, const TaskInputs& t, const TaskId& id)
{
    UserInput ui;
    ui.problem_short_description = "wattprint end-to-end task";
    ui.geo_location_continent = t.continent;
    ui.geo_location_region = t.region;
    ui.extra_data = bytes_of(t.user_extra);
    ui.task_id = id;

    MLModel model;
    model.model = t.model;
    model.model_path = t.model_path;
    model.task_id = id;

    HWResource hw;
    hw.hw_description = t.hw_description;
    hw.power_consumption = t.power_w;
    hw.latency = t.latency;
    hw.task_id = id;

    bool ok = bus.user_input->write(&ui);
    ok = bus.ml_model->write(&model) && ok;
    ok = bus.hw_resource->write(&hw) && ok;
    emit_sample("TASK_SENT problem=" + std::to_string(id.problem_id) + " iteration=" +
            std::to_string(id.iteration_id) + (ok ? "" : " failed=1"));
    return ok;
}

// The real orchestrator never releases a task, so its KEEP_LAST 1 x 500-instance writers refuse
// task 501; a benchmark of 1,000 tasks unregisters each task's inputs once its output arrived.
inline void release_task(OrchestratorBus& bus, const TaskId& id)
{
    UserInput ui;
    ui.task_id = id;
    MLModel model;
    model.task_id = id;
    HWResource hw;
    hw.task_id = id;
    bus.user_input->unregister_instance(&ui, eprosima::fastdds::dds::HANDLE_NIL);
    bus.ml_model->unregister_instance(&model, eprosima::fastdds::dds::HANDLE_NIL);
    bus.hw_resource->unregister_instance(&hw, eprosima::fastdds::dds::HANDLE_NIL);
}

} // namespace peer
