// Thread-safe records of what the orchestrator has seen: remote participant names and the
// carbon outputs per task, each with a blocking wait for main().
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "../common/lifecycle.hpp"
#include "../types/co2_footprint.hpp"

namespace peer {

class ParticipantBook
{
public:
    void update(const std::string& name, bool present)
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (present)
            {
                names_.insert(name);
            }
            else
            {
                names_.erase(name);
            }
        }
        changed_.notify_all();
    }

    bool wait_for(const std::string& name, Clock::time_point deadline)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        while (names_.count(name) == 0)
        {
            if (stop_requested().load() || Clock::now() >= deadline)
            {
                return false;
            }
            changed_.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(50)));
        }
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::multiset<std::string> names_;
};

using TaskKey = std::pair<uint32_t, uint32_t>;

struct OutputRecord
{
    CO2Footprint sample;
    Clock::time_point at;
};

class OutputBook
{
public:
    void add(const CO2Footprint& sample)
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            TaskKey key{sample.task_id.problem_id, sample.task_id.iteration_id};
            if (outputs_.count(key) == 0)
            {
                outputs_[key] = OutputRecord{sample, Clock::now()};
            }
        }
        changed_.notify_all();
    }

    // The first output seen for `key`, waiting until `deadline`.
    bool wait_for(const TaskKey& key, Clock::time_point deadline, OutputRecord* out)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;)
        {
            auto it = outputs_.find(key);
            if (it != outputs_.end())
            {
                *out = it->second;
                return true;
            }
            if (stop_requested().load() || Clock::now() >= deadline)
            {
                return false;
            }
            changed_.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(50)));
        }
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<TaskKey, OutputRecord> outputs_;
};

} // namespace peer
