// MLModelImpl (docs/sustainml-wire.md §3.2), topic /sustainml/ml_model_provider/output.
#pragma once

#include <string>
#include <vector>

#include "../common/cdr_type.hpp"
#include "task_id.hpp"

namespace peer {

struct MLModel
{
    std::string model_path;
    std::string model;
    std::vector<uint8_t> raw_model;
    std::string model_properties_path;
    std::string model_properties;
    std::vector<std::string> input_batch;
    double target_latency = 0;
    std::vector<uint8_t> extra_data;
    TaskId task_id;
};

struct MLModelTraits
{
    using Sample = MLModel;
    static constexpr const char* kName = "MLModelImpl";
    static constexpr uint32_t kNominalSize = 1024;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.model_path << s.model << s.raw_model << s.model_properties_path
            << s.model_properties << s.input_batch << s.target_latency << s.extra_data;
        write_task_id(cdr, s.task_id);
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.model_path >> s.model >> s.raw_model >> s.model_properties_path
        >> s.model_properties >> s.input_batch >> s.target_latency >> s.extra_data;
        read_task_id(cdr, s.task_id);
    }

    static size_t size_bound(const Sample& s)
    {
        return bound_string(s.model_path) + bound_string(s.model) + bound_bytes(s.raw_model) +
               bound_string(s.model_properties_path) + bound_string(s.model_properties) +
               bound_strings(s.input_batch) + kBoundF64 + bound_bytes(s.extra_data) + kBoundTaskId;
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key_task_id(key, s.task_id);
    }
};

using MLModelType = CdrTopicType<MLModelTraits>;

} // namespace peer
