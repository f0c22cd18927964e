// Tiny `mode --flag value --switch` parser: peers are driven by tests, not people.
#pragma once

#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace peer {

class Cli
{
public:
    Cli(int argc, char** argv, const std::set<std::string>& switches)
    {
        for (int i = 1; i < argc; ++i)
        {
            std::string arg = argv[i];
            if (arg.rfind("--", 0) != 0)
            {
                if (!mode_.empty())
                {
                    throw std::invalid_argument("unexpected argument " + arg);
                }
                mode_ = arg;
                continue;
            }
            std::string name = arg.substr(2);
            if (switches.count(name) != 0)
            {
                switches_.insert(name);
                continue;
            }
            if (i + 1 >= argc)
            {
                throw std::invalid_argument("missing value for " + arg);
            }
            values_[name] = argv[++i];
        }
    }

    const std::string& mode() const
    {
        return mode_;
    }

    bool has(const std::string& name) const
    {
        return switches_.count(name) != 0 || values_.count(name) != 0;
    }

    std::string text(const std::string& name, const std::string& fallback) const
    {
        auto it = values_.find(name);
        return it == values_.end() ? fallback : it->second;
    }

    long integer(const std::string& name, long fallback) const
    {
        auto it = values_.find(name);
        if (it == values_.end())
        {
            return fallback;
        }
        return std::stol(it->second);
    }

    double real(const std::string& name, double fallback) const
    {
        auto it = values_.find(name);
        return it == values_.end() ? fallback : std::stod(it->second);
    }

private:
    std::string mode_;
    std::map<std::string, std::string> values_;
    std::set<std::string> switches_;
};

// SustainML's rule (Common.hpp parse_sustainml_env): unparsable or missing -> 0.
inline int domain_from_env()
{
    const char* text = std::getenv("SUSTAINML_DOMAIN_ID");
    if (text == nullptr)
    {
        return 0;
    }
    char* end = nullptr;
    long value = std::strtol(text, &end, 10);
    return (end == text || *end != '\0' || value < 0 || value > 232) ? 0 : static_cast<int>(value);
}

} // namespace peer
