// HWResourceImpl (docs/sustainml-wire.md §3.2), topic /sustainml/hw_resources/output.
#pragma once

#include <string>
#include <vector>

#include "../common/cdr_type.hpp"
#include "task_id.hpp"

namespace peer {

struct HWResource
{
    std::string hw_description;
    double power_consumption = 0;
    double latency = 0;
    double memory_footprint_of_ml_model = 0;
    double max_hw_memory_footprint = 0;
    std::vector<uint8_t> extra_data;
    TaskId task_id;
};

struct HWResourceTraits
{
    using Sample = HWResource;
    static constexpr const char* kName = "HWResourceImpl";
    static constexpr uint32_t kNominalSize = 512;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.hw_description << s.power_consumption << s.latency
            << s.memory_footprint_of_ml_model << s.max_hw_memory_footprint << s.extra_data;
        write_task_id(cdr, s.task_id);
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.hw_description >> s.power_consumption >> s.latency
        >> s.memory_footprint_of_ml_model >> s.max_hw_memory_footprint >> s.extra_data;
        read_task_id(cdr, s.task_id);
    }

    static size_t size_bound(const Sample& s)
    {
        return bound_string(s.hw_description) + 4 * kBoundF64 + bound_bytes(s.extra_data) + kBoundTaskId;
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key_task_id(key, s.task_id);
    }
};

using HWResourceType = CdrTopicType<HWResourceTraits>;

} // namespace peer
