// The parse limit for a JSON Lines file: reads it in 4 MiB chunks (each cut
// after its last newline) and iterates its records with simdjson's
// parse_many on one thread, touching each record's "kind". Nothing else: no
// validation, no engine. Prints records, malformed records, seconds,
// records/s and MB/s.
//   bare_parse FILE
//
// Both choices are the fastest measured on the benchmark's machine:
// - the chunk is small enough that what a read brings in is still in the
//   cache when it is parsed. With chunks of 64 MiB the same parse took 2.3
//   times as long at 1 M events (0.54 s against 0.23 s; 16 MiB: 0.41 s; 1 and
//   2 MiB as fast as 4 MiB), and their zeroed buffer cost page faults;
// - parse_many's own thread for stage 1, started for each parse_many call
//   (each chunk, and after each malformed record), made the 5 M log's parse
//   slower: 1.17 to 1.66 s against 0.96 to 1.03 s.

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string_view>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bare_parse FILE\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "bare_parse: %s: cannot open\n", argv[1]);
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    constexpr std::size_t chunk = 4u << 20;
    const std::unique_ptr<char[]> buffer(new char[chunk + simdjson::SIMDJSON_PADDING]);
    std::size_t kept = 0;  // bytes after the last newline of the previous chunk
    std::uint64_t records = 0, malformed = 0, kinds = 0, bytes = 0;
    simdjson::dom::parser parser;
#ifdef SIMDJSON_THREADS_ENABLED
    parser.threaded = false;
#endif
    while (true) {
        in.read(buffer.get() + kept, static_cast<std::streamsize>(chunk - kept));
        const std::size_t got = static_cast<std::size_t>(in.gcount());
        bytes += got;
        const std::size_t size = kept + got;
        if (size == 0) break;
        std::size_t end = size;
        if (got > 0) {
            while (end > 0 && buffer[end - 1] != '\n') --end;
            if (end == 0) end = size;  // a line longer than the chunk: parse what there is
        }
        // parse_many stops at a malformed record: count it and go on after its line.
        std::size_t from = 0;
        while (from < end) {
            simdjson::dom::document_stream docs;
            if (parser.parse_many(reinterpret_cast<const std::uint8_t*>(buffer.get()) + from, end - from, 1 << 20)
                    .get(docs)) {
                std::fprintf(stderr, "bare_parse: parse_many failed\n");
                return 1;
            }
            std::size_t resume = end;
            for (auto it = docs.begin(); it != docs.end(); ++it) {
                simdjson::dom::element e;
                if ((*it).get(e)) {
                    ++malformed;
                    const std::size_t at = from + it.current_index();
                    const void* newline = std::memchr(buffer.get() + at, '\n', end - at);
                    resume = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - buffer.get()) + 1
                                     : end;
                    break;
                }
                ++records;
                std::string_view kind;
                if (!e["kind"].get(kind)) kinds += kind.size();
            }
            from = resume;
        }
        kept = size - end;
        std::memmove(buffer.get(), buffer.get() + end, kept);
        if (got == 0) break;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("records %llu malformed %llu seconds %.3f records/s %.0f MB/s %.1f (%llu)\n",
                static_cast<unsigned long long>(records), static_cast<unsigned long long>(malformed), seconds,
                static_cast<double>(records) / seconds, static_cast<double>(bytes) / 1e6 / seconds,
                static_cast<unsigned long long>(kinds));
    return 0;
}
