// The real orchestrator reads status through a ContentFilteredTopic
// `/sustainml/status_<NODE>` with `node_name like %0` (docs/sustainml-wire.md §5.2), so its SEDP
// subscription carries PID_CONTENT_FILTER_PROPERTY. Fast DDS 2.9's DDSSQL filter needs a
// TypeObject these hand-written types lack, so this peer registers its own filter class with
// the same expression and parameter: the PID still goes on the wire, and samples are filtered
// by node name on the reader side.
#pragma once

#include <string>

#include <fastdds/dds/topic/IContentFilter.hpp>
#include <fastdds/dds/topic/IContentFilterFactory.hpp>

#include "../types/node_status.hpp"

namespace peer {

constexpr const char* kStatusFilterClass = "WATTPRINT_NODE_NAME";
constexpr const char* kStatusFilterExpression = "node_name like %0";

class NodeNameFilter final : public eprosima::fastdds::dds::IContentFilter
{
public:
    explicit NodeNameFilter(std::string wanted)
        : wanted_(std::move(wanted))
    {
    }

    bool evaluate(
            const SerializedPayload& payload,
            const FilterSampleInfo&,
            const GUID_t&) const override
    {
        SerializedPayload_t copy(payload.length);
        copy.copy(&payload, false);
        NodeStatusType type;
        NodeStatus status;
        return type.deserialize(&copy, &status) && status.node_name == wanted_;
    }

private:
    std::string wanted_;
};

class NodeNameFilterFactory : public eprosima::fastdds::dds::IContentFilterFactory
{
public:
    ReturnCode_t create_content_filter(
            const char*,
            const char*,
            const eprosima::fastdds::dds::TopicDataType*,
            const char*,
            const ParameterSeq& filter_parameters,
            eprosima::fastdds::dds::IContentFilter*& filter_instance) override
    {
        if (filter_parameters.length() < 1)
        {
            return ReturnCode_t::RETCODE_BAD_PARAMETER;
        }
        // SQL string literal: 'NAME'.
        std::string name = filter_parameters[0];
        if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'')
        {
            name = name.substr(1, name.size() - 2);
        }
        delete static_cast<NodeNameFilter*>(filter_instance);
        filter_instance = new NodeNameFilter(name);
        return ReturnCode_t::RETCODE_OK;
    }

    ReturnCode_t delete_content_filter(
            const char*,
            eprosima::fastdds::dds::IContentFilter* filter_instance) override
    {
        delete static_cast<NodeNameFilter*>(filter_instance);
        return ReturnCode_t::RETCODE_OK;
    }
};

} // namespace peer
