// The engine alone: what judging costs on top of reading. Reads a JSON Lines
// (or JSON) log twice on the calling thread with the shipped rules: once
// through read_events with a sink that only counts (as bench/read_events),
// once with the engine judging each accepted event as it is decoded, then
// closing and sorting the findings (engine::add, engine::finish), with no
// report. The engine's time is the difference: judged this way each event is
// still in the cache, as in `patuh audit`, which judging the events from a
// vector of a million would not show.
// Prints events, findings, seconds (the engine's), read_s and read_judge_s.
//   judge_events FILE

#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/parse.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>

namespace {

// Seconds that read_events takes over `path` with `sink` taking each event.
double timed_read(const char* path, const patuh::rule_set& rules, const std::function<void(const patuh::event&)>& sink,
                  const std::function<void()>& after = {}) {
    std::ifstream in(path, std::ios::binary);
    patuh::reader_limits limits;
    limits.threads = 1;
    const auto start = std::chrono::steady_clock::now();
    (void)patuh::read_events(in, path, rules, sink, [](const patuh::rejection&) {}, patuh::input_format::automatic,
                             limits);
    if (after) after();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: judge_events FILE\n");
        return 2;
    }
    if (!std::ifstream(argv[1], std::ios::binary)) {
        std::fprintf(stderr, "judge_events: %s: cannot open\n", argv[1]);
        return 2;
    }
    patuh::compile_result compiled = patuh::compile(patuh::load_embedded_rules());
    if (!compiled.rules) {
        std::fprintf(stderr, "judge_events: the shipped rules do not compile\n");
        return 1;
    }
    const patuh::rule_set& rules = *compiled.rules;

    std::uint64_t counted = 0;
    const double read_s = timed_read(argv[1], rules, [&](const patuh::event&) { ++counted; });

    std::uint64_t unplaced = 0;
    std::size_t findings = 0;
    patuh::engine engine(rules);
    patuh::rejection why;
    const double both_s = timed_read(
        argv[1], rules, [&](const patuh::event& e) { unplaced += engine.add(e, why) ? 0 : 1; },
        [&] { findings = engine.finish().findings.size(); });

    std::printf("events %llu unplaced %llu findings %zu seconds %.3f read_s %.3f read_judge_s %.3f\n",
                static_cast<unsigned long long>(counted), static_cast<unsigned long long>(unplaced), findings,
                both_s - read_s, read_s, both_s);
    return 0;
}
