// CO2FootprintImpl (docs/sustainml-wire.md §3.2): the carbon node's output sample.
#pragma once

#include <cstdint>
#include <vector>

#include "../common/cdr_type.hpp"
#include "task_id.hpp"

namespace peer {

struct CO2Footprint
{
    double carbon_footprint = 0;
    double energy_consumption = 0;
    double carbon_intensity = 0;
    std::vector<uint8_t> extra_data;
    TaskId task_id;
};

struct CO2FootprintTraits
{
    using Sample = CO2Footprint;
    static constexpr const char* kName = "CO2FootprintImpl";
    static constexpr uint32_t kNominalSize = 48;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.carbon_footprint << s.energy_consumption << s.carbon_intensity << s.extra_data;
        write_task_id(cdr, s.task_id);
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.carbon_footprint >> s.energy_consumption >> s.carbon_intensity >> s.extra_data;
        read_task_id(cdr, s.task_id);
    }

    static size_t size_bound(const Sample& s)
    {
        return 3 * kBoundF64 + bound_bytes(s.extra_data) + kBoundTaskId;
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key_task_id(key, s.task_id);
    }
};

using CO2FootprintType = CdrTopicType<CO2FootprintTraits>;

} // namespace peer
