// NodeStatusImpl and NodeControlImpl (docs/sustainml-wire.md §3.2): keyed by a string plus the task,
// so their key hash is always an MD5 (§7.5). Enums travel as int32.
#pragma once

#include <string>

#include "../common/cdr_type.hpp"
#include "task_id.hpp"

namespace peer {

struct NodeStatus
{
    int32_t node_status = 0;
    int32_t task_status = 0;
    int32_t error_code = 0;
    std::string error_description;
    std::string node_name;
    TaskId task_id;
};

struct NodeStatusTraits
{
    using Sample = NodeStatus;
    static constexpr const char* kName = "NodeStatusImpl";
    static constexpr uint32_t kNominalSize = 512;
    static constexpr bool kKeyFitsHash = false;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.node_status << s.task_status << s.error_code << s.error_description << s.node_name;
        write_task_id(cdr, s.task_id);
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.node_status >> s.task_status >> s.error_code >> s.error_description >> s.node_name;
        read_task_id(cdr, s.task_id);
    }

    static size_t size_bound(const Sample& s)
    {
        return 3 * kBoundU32 + bound_string(s.error_description) + bound_string(s.node_name) + kBoundTaskId;
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key.string(s.node_name);
        key_task_id(key, s.task_id);
    }
};

struct NodeControl
{
    int32_t cmd_node = 0;
    int32_t cmd_task = 0;
    std::string target_node;
    std::string source_node;
    TaskId task_id;
};

struct NodeControlTraits
{
    using Sample = NodeControl;
    static constexpr const char* kName = "NodeControlImpl";
    static constexpr uint32_t kNominalSize = 512;
    static constexpr bool kKeyFitsHash = false;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.cmd_node << s.cmd_task << s.target_node << s.source_node;
        write_task_id(cdr, s.task_id);
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.cmd_node >> s.cmd_task >> s.target_node >> s.source_node;
        read_task_id(cdr, s.task_id);
    }

    static size_t size_bound(const Sample& s)
    {
        return 2 * kBoundU32 + bound_string(s.target_node) + bound_string(s.source_node) + kBoundTaskId;
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key.string(s.source_node);
        key_task_id(key, s.task_id);
    }
};

using NodeStatusType = CdrTopicType<NodeStatusTraits>;
using NodeControlType = CdrTopicType<NodeControlTraits>;

} // namespace peer
