// TaskIdImpl (docs/sustainml-wire.md §3.2): the key of every SustainML data topic, inlined.
#pragma once

#include <cstdint>

#include "../common/cdr_type.hpp"

namespace peer {

struct TaskId
{
    uint32_t problem_id = 0;
    uint32_t iteration_id = 0;
};

constexpr size_t kBoundTaskId = 2 * kBoundU32;

inline void write_task_id(Cdr& cdr, const TaskId& id)
{
    cdr << id.problem_id << id.iteration_id;
}

inline void read_task_id(Cdr& cdr, TaskId& id)
{
    cdr >> id.problem_id >> id.iteration_id;
}

inline void key_task_id(KeyWriter& key, const TaskId& id)
{
    key.u32(id.problem_id);
    key.u32(id.iteration_id);
}

} // namespace peer
