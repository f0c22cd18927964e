// The fake carbon node's computation: the reference node's onnx_hw_only path
// (docs/sustainml-wire.md §12.3, main units: W x h -> kWh, g/kWh) and its extra_data rule (§11.3).
#pragma once

#include <cctype>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "../common/output.hpp"
#include "../types/co2_footprint.hpp"
#include "../types/hw_resource.hpp"
#include "../types/ml_model.hpp"
#include "../types/user_input.hpp"

namespace peer {

// ASCII-only JSON string, as the orchestrator and the wp3 node both decode it (§11.1).
inline std::string json_string(const std::string& text)
{
    std::string out = "\"";
    for (unsigned char c : text)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
            out += static_cast<char>(c);
        }
        else if (c < 0x20 || c >= 0x7f)
        {
            char buf[8];
            std::snprintf(buf, sizeof(buf), "\\u%04x", c);
            out += buf;
        }
        else
        {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

inline long user_num_outputs(const std::vector<uint8_t>& extra)
{
    std::string text(extra.begin(), extra.end());
    std::smatch match;
    static const std::regex pattern("\"num_outputs\"\\s*:\\s*([0-9]+)");
    return std::regex_search(text, match, pattern) ? std::stol(match[1].str()) : 1;
}

inline std::string upper(std::string text)
{
    for (char& c : text)
    {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

inline CO2Footprint compute_footprint(const MLModel& model, const UserInput& ui, const HWResource& hw,
        double grid_ci)
{
    CO2Footprint out;
    std::string extra = "{\"num_outputs\": " + std::to_string(user_num_outputs(ui.extra_data)) +
            ", \"model_restrains\": [" + json_string(model.model) + "]";
    if (upper(model.model) == "NO_MODEL")
    {
        extra += ", \"mode\": \"no_model\", \"error\": " +
                json_string("No model selected (NO_MODEL). Carbon footprint not computed.");
    }
    else
    {
        out.energy_consumption = hw.power_consumption * hw.latency / 1000.0;
        out.carbon_footprint = out.energy_consumption * grid_ci;
        out.carbon_intensity = grid_ci;
        extra += ", \"mode\": \"onnx_hw_only\", \"grid_ci_source\": \"env\"";
    }
    out.extra_data.assign(extra.begin(), extra.end());
    out.extra_data.push_back('}');
    // PR #9: the output always carries the task id of its inputs.
    out.task_id = ui.task_id;
    return out;
}

} // namespace peer
