// fastdds-co2-peer: a Fast DDS 2.9 participant for the wattprint RTPS interop tests.
// See packages/testkit/README.md for modes, flags and the lines it prints.
#include <exception>
#include <iostream>
#include <set>
#include <string>

#include "bench_modes.hpp"
#include "co2_modes.hpp"
#include "ddsperf_modes.hpp"
#include "common/cli.hpp"
#include "common/lifecycle.hpp"
#include "common/node.hpp"
#include "types/bench_sample.hpp"
#include "types/co2_footprint.hpp"
#include "types/keyed_seq.hpp"

namespace {

const char* kUsage =
    "usage: fastdds-co2-peer <pub|tlpub|sub|tlsub|echo|ping|throughput-pub|throughput-sub|ks-pub|ks-sub>\n"
    "  [--count N] [--domain D] [--nokey] [--extra-bytes N] [--period-ms MS] [--wait-s S]\n"
    "  [--name NAME] [--readers N] [--linger-ms MS] [--problem P] [--size BYTES]\n"
    "  [--warmup N] [--keys N] [--settle-ms MS]\n"
    "env: SUSTAINML_DOMAIN_ID (default domain), FASTDDS_DEFAULT_TRANSPORTS=1 (keep SHM+UDP)\n";

int run(const peer::Cli& cli)
{
    const std::string& mode = cli.mode();
    peer::ParticipantOptions options;
    options.domain = cli.has("domain") ? static_cast<int>(cli.integer("domain", 0)) : peer::domain_from_env();
    options.name = cli.text("name", "fastdds-co2-peer");
    bool keyed = !cli.has("nokey");
    peer::emit("START mode=" + mode + " domain=" + std::to_string(options.domain) + " name=" +
            options.name + " transports=" + (peer::default_transports() ? "default" : "udpv4") +
            " key=" + (keyed ? "keyed" : "nokey"));

    peer::Node node(options);
    bool bench = mode == "echo" || mode == "ping" || mode.rfind("throughput-", 0) == 0;
    bool keyed_seq = mode.rfind("ks-", 0) == 0;
    if (bench)
    {
        node.register_type(new peer::BenchSampleType(keyed));
    }
    else if (keyed_seq)
    {
        node.register_type(new peer::KeyedSeqType(keyed));
    }
    else
    {
        node.register_type(new peer::CO2FootprintType(keyed));
    }

    if (mode == "pub" || mode == "tlpub")
    {
        return peer::run_co2_pub(node, cli, mode == "tlpub");
    }
    if (mode == "sub" || mode == "tlsub")
    {
        return peer::run_co2_sub(node, cli, mode == "tlsub");
    }
    if (mode == "echo")
    {
        return peer::run_echo(node, cli);
    }
    if (mode == "ping")
    {
        return peer::run_ping(node, cli);
    }
    if (mode == "throughput-pub")
    {
        return peer::run_throughput_pub(node, cli);
    }
    if (mode == "ks-pub")
    {
        return peer::run_ks_pub(node, cli);
    }
    if (mode == "ks-sub")
    {
        return peer::run_ks_sub(node, cli);
    }
    return peer::run_throughput_sub(node, cli);
}

} // namespace

int main(int argc, char** argv)
{
    static const std::set<std::string> kModes = {
        "pub", "tlpub", "sub", "tlsub", "echo", "ping", "throughput-pub", "throughput-sub", "ks-pub",
        "ks-sub"};
    try
    {
        peer::Cli cli(argc, argv, {"nokey", "help"});
        if (cli.has("help") || kModes.count(cli.mode()) == 0)
        {
            std::cerr << kUsage;
            return cli.has("help") ? 0 : 2;
        }
        peer::install_signal_handlers();
        int code = run(cli);
        peer::emit("EXIT " + std::to_string(code));
        return code;
    }
    catch (const std::exception& error)
    {
        peer::emit(std::string("ERROR ") + error.what());
        return 2;
    }
}
