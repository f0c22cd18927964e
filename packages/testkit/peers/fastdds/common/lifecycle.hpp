// Signal-aware sleeping, so SIGTERM from the test kit ends a peer cleanly (the participant is
// deleted and remote peers see it leave instead of waiting for the lease to expire).
#pragma once

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

namespace peer {

inline std::atomic<bool>& stop_requested()
{
    static std::atomic<bool> flag{false};
    return flag;
}

inline void install_signal_handlers()
{
    auto handler = [](int)
            {
                stop_requested().store(true);
            };
    std::signal(SIGINT, handler);
    std::signal(SIGTERM, handler);
}

using Clock = std::chrono::steady_clock;

inline Clock::time_point deadline_after_ms(long ms)
{
    return Clock::now() + std::chrono::milliseconds(ms);
}

// Sleeps until `deadline`, `done()` or a stop signal, polling every 10 ms; returns done().
template<typename Done>
bool wait_until(Clock::time_point deadline, Done done)
{
    while (!done())
    {
        if (stop_requested().load() || Clock::now() >= deadline)
        {
            return done();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

inline void sleep_ms(long ms)
{
    wait_until(deadline_after_ms(ms), []
            {
                return false;
            });
}

} // namespace peer
