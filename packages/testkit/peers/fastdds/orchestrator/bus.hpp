// The orchestrator's endpoints on a SustainML domain, with the lines they print.
#pragma once

#include <string>

#include <fastdds/dds/subscriber/SampleInfo.hpp>
#include <fastdds/dds/topic/ContentFilteredTopic.hpp>

#include "../common/node.hpp"
#include "../types/co2_footprint.hpp"
#include "../types/hw_resource.hpp"
#include "../types/ml_model.hpp"
#include "../types/node_status.hpp"
#include "../types/request_response.hpp"
#include "../types/user_input.hpp"
#include "books.hpp"
#include "qos.hpp"
#include "status_filter.hpp"
#include "topics.hpp"

namespace peer {

// extra_data is UTF-8 JSON (docs/sustainml-wire.md §11.1); printed last on its line, newlines flattened.
inline std::string flat_text(const std::vector<uint8_t>& bytes)
{
    std::string text(bytes.begin(), bytes.end());
    for (char& c : text)
    {
        if (c == '\n' || c == '\r')
        {
            c = ' ';
        }
    }
    return text;
}

inline std::string flat_text(const std::string& text)
{
    return flat_text(std::vector<uint8_t>(text.begin(), text.end()));
}

inline void register_sustainml_types(Node& node)
{
    node.register_type(new MLModelType());
    node.register_type(new UserInputType());
    node.register_type(new HWResourceType());
    node.register_type(new CO2FootprintType());
    node.register_type(new NodeStatusType());
    node.register_type(new NodeControlType());
    node.register_type(new RequestType());
    node.register_type(new ResponseType());
}

template<typename Sample, typename OnSample>
void take_all(DataReader* reader, OnSample on_sample)
{
    Sample sample;
    eprosima::fastdds::dds::SampleInfo info;
    while (reader->take_next_sample(&sample, &info) == ReturnCode_t::RETCODE_OK)
    {
        if (info.valid_data)
        {
            on_sample(sample);
        }
    }
}

class OrchestratorBus
{
public:
    OrchestratorBus(Node& node, const std::string& node_name, bool filter_status)
        : node_(node)
    {
        register_sustainml_types(node);
        output_reporter_.on_data = [this](DataReader* reader)
                {
                    take_all<CO2Footprint>(reader, [this](const CO2Footprint& s)
                    {
                        // Arrival is recorded before the line is written, which takes time.
                        outputs.add(s);
                        emit_sample("OUTPUT problem=" + std::to_string(s.task_id.problem_id) + " iteration=" +
                        std::to_string(s.task_id.iteration_id) + " carbon=" + num(s.carbon_footprint) +
                        " energy=" + num(s.energy_consumption) + " intensity=" + num(s.carbon_intensity) +
                        " extra=" + flat_text(s.extra_data));
                    });
                };
        status_reporter_.on_data = [](DataReader* reader)
                {
                    take_all<NodeStatus>(reader, [](const NodeStatus& s)
                    {
                        emit_sample("STATUS node=" + token(s.node_name) + " status=" + std::to_string(s.node_status) +
                        " task_status=" + std::to_string(s.task_status) + " error_code=" +
                        std::to_string(s.error_code) + " problem=" + std::to_string(s.task_id.problem_id) +
                        " iteration=" + std::to_string(s.task_id.iteration_id) + " error=" +
                        flat_text(s.error_description));
                    });
                };
        response_reporter_.on_data = [this](DataReader* reader)
                {
                    take_all<Response>(reader, [this](const Response& s)
                    {
                        emit("RESPONSE node_id=" + std::to_string(s.node_id) + " transaction_id=" +
                        std::to_string(s.transaction_id) + " success=" + (s.success ? "1" : "0") +
                        " err_code=" + std::to_string(s.err_code) + " configuration=" +
                        flat_text(s.configuration));
                        std::lock_guard<std::mutex> lock(response_mutex_);
                        responses_.push_back(s);
                    });
                };

        // Readers first: the real orchestrator creates a node's proxies on discovery.
        status_reader = filter_status ?
                node.reader(status_topic(node_name), sustainml_reader_qos(), &status_reporter_) :
                node.reader(kTopicStatus, NodeStatusTraits::kName, sustainml_reader_qos(), &status_reporter_);
        output_reader = node.reader(kTopicCarbonOutput, CO2FootprintTraits::kName, sustainml_reader_qos(),
                        &output_reporter_);
        user_input = node.writer(kTopicUserInput, UserInputTraits::kName, sustainml_writer_qos(),
                        &user_input_reporter);
        ml_model = node.writer(kTopicMLModel, MLModelTraits::kName, sustainml_writer_qos(),
                        &ml_model_reporter);
        hw_resource = node.writer(kTopicHWResource, HWResourceTraits::kName, sustainml_writer_qos(),
                        &hw_resource_reporter);
        control = node.writer(kTopicControl, NodeControlTraits::kName, sustainml_writer_qos(),
                        &control_reporter);
    }

    // Entities go before the listeners and books below, which their callbacks use.
    ~OrchestratorBus()
    {
        node_.close();
    }

    OrchestratorBus(const OrchestratorBus&) = delete;
    OrchestratorBus& operator=(const OrchestratorBus&) = delete;

    // Created on demand: only the configuration exchange needs them.
    void open_config()
    {
        request = node_.writer(kTopicRequest, RequestTraits::kName, config_writer_qos(), &request_reporter);
        response_reader = node_.reader(kTopicResponse, ResponseTraits::kName, config_reader_qos(),
                        &response_reporter_);
    }

    bool take_response(int32_t node_id, int32_t transaction_id, Response* out)
    {
        std::lock_guard<std::mutex> lock(response_mutex_);
        for (const auto& response : responses_)
        {
            if (response.node_id == node_id && response.transaction_id == transaction_id)
            {
                *out = response;
                return true;
            }
        }
        return false;
    }

    OutputBook outputs;
    WriterReporter user_input_reporter{kTopicUserInput};
    WriterReporter ml_model_reporter{kTopicMLModel};
    WriterReporter hw_resource_reporter{kTopicHWResource};
    WriterReporter control_reporter{kTopicControl};
    WriterReporter request_reporter{kTopicRequest};
    DataWriter* user_input = nullptr;
    DataWriter* ml_model = nullptr;
    DataWriter* hw_resource = nullptr;
    DataWriter* control = nullptr;
    DataWriter* request = nullptr;
    DataReader* status_reader = nullptr;
    DataReader* output_reader = nullptr;
    DataReader* response_reader = nullptr;

    MatchCount& output_matched()
    {
        return output_reporter_.matched;
    }

    MatchCount& response_matched()
    {
        return response_reporter_.matched;
    }

private:
    eprosima::fastdds::dds::TopicDescription* status_topic(const std::string& node_name)
    {
        auto* participant = node_.participant();
        participant->register_content_filter_factory(kStatusFilterClass, &filter_factory_);
        auto* filtered = participant->create_contentfilteredtopic(
            std::string(kTopicStatus) + "_" + node_name, node_.find_topic(kTopicStatus, NodeStatusTraits::kName),
            kStatusFilterExpression, {"'" + node_name + "'"}, kStatusFilterClass);
        if (filtered == nullptr)
        {
            throw std::runtime_error("create_contentfilteredtopic failed on " + std::string(kTopicStatus));
        }
        return filtered;
    }

    NodeNameFilterFactory filter_factory_;
    Node& node_;
    ReaderReporter output_reporter_{kTopicCarbonOutput};
    ReaderReporter status_reporter_{kTopicStatus};
    ReaderReporter response_reporter_{kTopicResponse};
    std::mutex response_mutex_;
    std::vector<Response> responses_;
};

} // namespace peer
