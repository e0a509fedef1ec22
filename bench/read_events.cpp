// The reader alone: reads a JSON Lines (or JSON) file through read_events
// with the shipped rules and sinks that only count, so that the cost of
// reading and validating records is measured without the engine or a report.
// Prints records, accepted, rejected, seconds, records/s and MB/s.
//   read_events FILE [THREADS]

#include <patuh/event.hpp>
#include <patuh/parse.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: read_events FILE [THREADS]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "read_events: %s: cannot open\n", argv[1]);
        return 2;
    }
    patuh::compile_result compiled = patuh::compile(patuh::load_embedded_rules());
    if (!compiled.rules) {
        std::fprintf(stderr, "read_events: the shipped rules do not compile\n");
        return 1;
    }
    patuh::reader_limits limits;
    limits.threads = argc == 3 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : 1;
    std::uint64_t id_bytes = 0;  // something of every event, so that nothing is optimised away
    const auto start = std::chrono::steady_clock::now();
    const patuh::read_counts counts = patuh::read_events(
        in, argv[1], *compiled.rules, [&](const patuh::event& e) { id_bytes += e.id.size(); },
        [&](const patuh::rejection& r) { id_bytes += r.code.size(); }, patuh::input_format::automatic, limits);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::error_code ec;
    const auto bytes = static_cast<double>(std::filesystem::file_size(argv[1], ec));
    std::printf("records %llu accepted %llu rejected %llu seconds %.3f records/s %.0f MB/s %.1f (%llu)\n",
                static_cast<unsigned long long>(counts.read), static_cast<unsigned long long>(counts.accepted),
                static_cast<unsigned long long>(counts.rejected), seconds, static_cast<double>(counts.read) / seconds,
                bytes / 1e6 / seconds, static_cast<unsigned long long>(id_bytes));
    return 0;
}
