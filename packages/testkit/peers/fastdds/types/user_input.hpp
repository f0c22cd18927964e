// UserInputImpl (docs/sustainml-wire.md §3.2), topic /sustainml/user_input.
#pragma once

#include <string>
#include <vector>

#include "../common/cdr_type.hpp"
#include "task_id.hpp"

namespace peer {

struct UserInput
{
    std::string modality;
    std::string problem_short_description;
    std::string problem_definition;
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    uint32_t minimum_samples = 0;
    uint32_t maximum_samples = 0;
    bool optimize_carbon_footprint_manual = false;
    int32_t previous_iteration = 0;
    bool optimize_carbon_footprint_auto = false;
    double desired_carbon_footprint = 0;
    std::string geo_location_continent;
    std::string geo_location_region;
    std::vector<uint8_t> extra_data;
    TaskId task_id;
};

struct UserInputTraits
{
    using Sample = UserInput;
    static constexpr const char* kName = "UserInputImpl";
    static constexpr uint32_t kNominalSize = 1024;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.modality << s.problem_short_description << s.problem_definition << s.inputs
            << s.outputs << s.minimum_samples << s.maximum_samples
            << s.optimize_carbon_footprint_manual << s.previous_iteration
            << s.optimize_carbon_footprint_auto << s.desired_carbon_footprint
            << s.geo_location_continent << s.geo_location_region << s.extra_data;
        write_task_id(cdr, s.task_id);
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.modality >> s.problem_short_description >> s.problem_definition >> s.inputs
        >> s.outputs >> s.minimum_samples >> s.maximum_samples
        >> s.optimize_carbon_footprint_manual >> s.previous_iteration
        >> s.optimize_carbon_footprint_auto >> s.desired_carbon_footprint
        >> s.geo_location_continent >> s.geo_location_region >> s.extra_data;
        read_task_id(cdr, s.task_id);
    }

    static size_t size_bound(const Sample& s)
    {
        return bound_string(s.modality) + bound_string(s.problem_short_description) +
               bound_string(s.problem_definition) + bound_strings(s.inputs) + bound_strings(s.outputs) +
               4 * kBoundU32 + 2 + kBoundF64 + bound_string(s.geo_location_continent) +
               bound_string(s.geo_location_region) + bound_bytes(s.extra_data) + kBoundTaskId;
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key_task_id(key, s.task_id);
    }
};

using UserInputType = CdrTopicType<UserInputTraits>;

} // namespace peer
