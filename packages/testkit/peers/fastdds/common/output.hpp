// Machine-parseable output: one line per event, flushed at once so tests see it live.
#pragma once

#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

namespace peer {

inline std::mutex& output_mutex()
{
    static std::mutex mutex;
    return mutex;
}

inline void emit(const std::string& line)
{
    std::lock_guard<std::mutex> lock(output_mutex());
    std::cout << line << '\n' << std::flush;
}

// --quiet: no line per sample or task. A flushed line wakes the test process reading the
// pipe, and on a 2-core machine that wake-up competes with the peer's own receive thread:
// benchmarks measured the harness's logging as millisecond latency tails.
inline std::atomic<bool>& quiet_samples()
{
    static std::atomic<bool> quiet{false};
    return quiet;
}

inline void emit_sample(const std::string& line)
{
    if (!quiet_samples().load(std::memory_order_relaxed))
    {
        emit(line);
    }
}

inline std::vector<std::string>& deferred_lines()
{
    static std::vector<std::string> lines;
    return lines;
}

// Per-task results: at once, or with --quiet kept until `flush_deferred` (after the run).
inline void emit_after_run(const std::string& line)
{
    if (!quiet_samples().load(std::memory_order_relaxed))
    {
        emit(line);
        return;
    }
    std::lock_guard<std::mutex> lock(output_mutex());
    deferred_lines().push_back(line);
}

inline void flush_deferred()
{
    std::vector<std::string> lines;
    {
        std::lock_guard<std::mutex> lock(output_mutex());
        lines.swap(deferred_lines());
    }
    for (const auto& line : lines)
    {
        emit(line);
    }
}

// Shortest text that reads back to the same double, so TS tests can compare exactly.
inline std::string num(double value)
{
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof(buf), value);
    return std::string(buf, result.ptr);
}

inline std::string hex(const std::vector<uint8_t>& bytes, size_t max_bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < bytes.size() && i < max_bytes; ++i)
    {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0xf];
    }
    return out;
}

// FNV-1a 32-bit, 8 hex digits: lets a test check a large payload without printing it.
inline std::string fnv1a32(const std::vector<uint8_t>& bytes)
{
    uint32_t hash = 2166136261u;
    for (uint8_t byte : bytes)
    {
        hash = (hash ^ byte) * 16777619u;
    }
    char buf[9];
    std::snprintf(buf, sizeof(buf), "%08x", hash);
    return buf;
}

// Values printed after `key=` must stay one token: spaces and controls become '_'.
inline std::string token(const std::string& text)
{
    std::string out = text.empty() ? std::string("\"\"") : text;
    for (char& c : out)
    {
        if (static_cast<unsigned char>(c) <= ' ')
        {
            c = '_';
        }
    }
    return out;
}

} // namespace peer
