// fastdds-fake-carbon-node: a small stand-in for SustainML's CarbonFootprintNode (participant
// CARBON_FOOTPRINT_NODE), so fastdds-orchestrator can be checked before the TS node exists and
// the TS node's e2e results have a reference. It follows docs/sustainml-wire.md §5 (QoS), §8 (status
// sequence, input join), §10.1 (v0.1/v0.2 configuration topics) and §12 (onnx_hw_only only).
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <mutex>
#include <string>

#include "common/cli.hpp"
#include "common/lifecycle.hpp"
#include "common/node.hpp"
#include "orchestrator/bus.hpp"
#include "orchestrator/fake_node_logic.hpp"
#include "orchestrator/qos.hpp"
#include "orchestrator/topics.hpp"

namespace {

using namespace peer;

constexpr int32_t kNodeIdCarbon = 1;
enum NodeStatusValue : int32_t
{
    kError = 1, kIdle = 2, kInitializing = 3, kRunning = 4
};

eprosima::fastdds::dds::DataWriterQos status_writer_qos()
{
    using namespace eprosima::fastdds::dds;
    DataWriterQos qos = DATAWRITER_QOS_DEFAULT;
    qos.reliability().kind = RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = TRANSIENT_LOCAL_DURABILITY_QOS;
    qos.history().kind = KEEP_LAST_HISTORY_QOS;
    qos.history().depth = 1;
    return qos;
}

eprosima::fastdds::dds::DataReaderQos control_reader_qos()
{
    using namespace eprosima::fastdds::dds;
    DataReaderQos qos = DATAREADER_QOS_DEFAULT;
    qos.reliability().kind = BEST_EFFORT_RELIABILITY_QOS;
    qos.durability().kind = VOLATILE_DURABILITY_QOS;
    qos.history().kind = KEEP_LAST_HISTORY_QOS;
    qos.history().depth = 1;
    return qos;
}

double grid_ci(const Cli& cli)
{
    const char* env = std::getenv("SUSTAINML_GRID_CI");
    return cli.real("grid-ci", env == nullptr ? 0.0 : std::atof(env));
}

class FakeNode
{
public:
    FakeNode(Node& node, const Cli& cli)
        : node_(node)
        , name_(cli.text("name", kCarbonNodeName))
        , grid_ci_(grid_ci(cli))
    {
        register_sustainml_types(node);
        control_reporter_.on_data = [](DataReader* reader)
                {
                    take_all<NodeControl>(reader, [](const NodeControl& s)
                    {
                        emit("CONTROL cmd_node=" + std::to_string(s.cmd_node) + " cmd_task=" +
                        std::to_string(s.cmd_task) + " source=" + token(s.source_node) + " target=" +
                        token(s.target_node));
                    });
                };
        user_input_reporter_.on_data = [this](DataReader* reader)
                {
                    take_all<UserInput>(reader, [this](const UserInput& s)
                    {
                        store(user_inputs_, s, "user_input");
                    });
                };
        ml_model_reporter_.on_data = [this](DataReader* reader)
                {
                    take_all<MLModel>(reader, [this](const MLModel& s)
                    {
                        store(ml_models_, s, "ml_model");
                    });
                };
        hw_resource_reporter_.on_data = [this](DataReader* reader)
                {
                    take_all<HWResource>(reader, [this](const HWResource& s)
                    {
                        store(hw_resources_, s, "hw_resource");
                    });
                };
        request_reporter_.on_data = [this](DataReader* reader)
                {
                    take_all<Request>(reader, [this](const Request& s)
                    {
                        answer(s);
                    });
                };

        // NodeImpl::init order: control reader and status writer, INITIALIZING, then the rest.
        node.reader(kTopicControl, NodeControlTraits::kName, control_reader_qos(), &control_reporter_);
        status_ = node.writer(kTopicStatus, NodeStatusTraits::kName, status_writer_qos(), &status_reporter_);
        publish_status(kInitializing);
        node.reader(kTopicMLModel, MLModelTraits::kName, sustainml_reader_qos(), &ml_model_reporter_);
        node.reader(kTopicUserInput, UserInputTraits::kName, sustainml_reader_qos(), &user_input_reporter_);
        node.reader(kTopicHWResource, HWResourceTraits::kName, sustainml_reader_qos(), &hw_resource_reporter_);
        output_ = node.writer(kTopicCarbonOutput, CO2FootprintTraits::kName, sustainml_writer_qos(),
                        &output_reporter_);
        response_ = node.writer(kTopicResponse, ResponseTraits::kName, config_writer_qos(), &response_reporter_);
        node.reader(kTopicRequest, RequestTraits::kName, config_reader_qos(), &request_reporter_);
        publish_status(kIdle);
    }

    ~FakeNode()
    {
        node_.close();
    }

    FakeNode(const FakeNode&) = delete;
    FakeNode& operator=(const FakeNode&) = delete;

    long tasks_done()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return tasks_done_;
    }

private:
    template<typename Sample>
    void store(std::map<TaskKey, Sample>& queue, const Sample& sample, const char* kind)
    {
        TaskKey key{sample.task_id.problem_id, sample.task_id.iteration_id};
        emit_sample(std::string("INPUT kind=") + kind + " problem=" + std::to_string(key.first) + " iteration=" +
                std::to_string(key.second));
        if (key == TaskKey{0, 0})
        {
            emit("INVALID_TASK_ID kind=" + std::string(kind));
            return;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        queue.emplace(key, sample);
        auto model = ml_models_.find(key);
        auto ui = user_inputs_.find(key);
        auto hw = hw_resources_.find(key);
        if (model == ml_models_.end() || ui == user_inputs_.end() || hw == hw_resources_.end())
        {
            return;
        }
        publish_status(kRunning);
        CO2Footprint out = compute_footprint(model->second, ui->second, hw->second, grid_ci_);
        publish_status(kIdle);
        output_->write(&out);
        emit_sample("TASK_DONE problem=" + std::to_string(key.first) + " iteration=" + std::to_string(key.second) +
                " carbon=" + num(out.carbon_footprint) + " energy=" + num(out.energy_consumption) +
                " intensity=" + num(out.carbon_intensity));
        ml_models_.erase(model);
        user_inputs_.erase(ui);
        hw_resources_.erase(hw);
        ++tasks_done_;
    }

    void publish_status(int32_t value)
    {
        NodeStatus status;
        status.node_status = value;
        status.node_name = name_;
        status_->write(&status);
        emit_sample("STATUS_SENT status=" + std::to_string(value));
    }

    // The wp3 node's answer: it supports no configuration (§10.1).
    void answer(const Request& request)
    {
        emit("REQUEST node_id=" + std::to_string(request.node_id) + " transaction_id=" +
                std::to_string(request.transaction_id) + " configuration=" + flat_text(request.configuration));
        if (request.node_id != kNodeIdCarbon)
        {
            return;
        }
        Response response;
        response.node_id = request.node_id;
        response.transaction_id = request.transaction_id;
        response.success = false;
        response.err_code = 1;
        response.configuration = "{\"error\": " +
                json_string("Unsupported configuration request: " + request.configuration) + "}";
        response_->write(&response);
    }

    Node& node_;
    std::string name_;
    double grid_ci_;
    std::mutex mutex_;
    std::map<TaskKey, MLModel> ml_models_;
    std::map<TaskKey, UserInput> user_inputs_;
    std::map<TaskKey, HWResource> hw_resources_;
    long tasks_done_ = 0;
    DataWriter* status_ = nullptr;
    DataWriter* output_ = nullptr;
    DataWriter* response_ = nullptr;
    ReaderReporter control_reporter_{kTopicControl};
    ReaderReporter user_input_reporter_{kTopicUserInput};
    ReaderReporter ml_model_reporter_{kTopicMLModel};
    ReaderReporter hw_resource_reporter_{kTopicHWResource};
    ReaderReporter request_reporter_{kTopicRequest};
    WriterReporter status_reporter_{kTopicStatus};
    WriterReporter output_reporter_{kTopicCarbonOutput};
    WriterReporter response_reporter_{kTopicResponse};
};

int run(const Cli& cli)
{
    ParticipantOptions options;
    options.domain = cli.has("domain") ? static_cast<int>(cli.integer("domain", 0)) : domain_from_env();
    options.name = cli.text("name", kCarbonNodeName);
    options.properties = {{"fastdds.application.id", "SUSTAINML"}, {"fastdds.application.metadata", ""}};
    emit("START mode=node domain=" + std::to_string(options.domain) + " name=" + options.name +
            " transports=" + (default_transports() ? "default" : "udpv4"));
    Node node(options);
    FakeNode fake(node, cli);
    long tasks = cli.integer("tasks", 0);
    wait_until(deadline_after_ms(static_cast<long>(cli.real("wait-s", 60) * 1000)), [&]
            {
                return tasks > 0 && fake.tasks_done() >= tasks;
            });
    // Let the orchestrator's reader acknowledge the last output before we leave.
    sleep_ms(cli.integer("linger-ms", 300));
    emit("TASKS_DONE " + std::to_string(fake.tasks_done()));
    return tasks == 0 || fake.tasks_done() >= tasks ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    try
    {
        Cli cli(argc, argv, {"help", "quiet"});
        quiet_samples() = cli.has("quiet");
        if (cli.has("help") || !(cli.mode().empty() || cli.mode() == "node"))
        {
            std::cerr << "usage: fastdds-fake-carbon-node [node] [--domain D] [--name NAME] [--grid-ci G]\n"
                         "  [--tasks N (exit after N tasks)] [--wait-s S] [--linger-ms MS] [--quiet]\n";
            return cli.has("help") ? 0 : 2;
        }
        install_signal_handlers();
        int code = run(cli);
        emit("EXIT " + std::to_string(code));
        return code;
    }
    catch (const std::exception& error)
    {
        emit(std::string("ERROR ") + error.what());
        return 2;
    }
}
