// The parse limit for a JSON Lines file: reads it in 64 MiB chunks (each cut
// after its last newline) and iterates its records with simdjson's
// parse_many, touching each record's "kind". Nothing else: no validation, no
// engine. Prints records, malformed records, seconds, records/s and MB/s.
//   bare_parse FILE

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

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
    constexpr std::size_t chunk = 64u << 20;
    std::vector<char> buffer(chunk + simdjson::SIMDJSON_PADDING);
    std::size_t kept = 0;  // bytes after the last newline of the previous chunk
    std::uint64_t records = 0, malformed = 0, kinds = 0, bytes = 0;
    simdjson::dom::parser parser;
    while (true) {
        in.read(buffer.data() + kept, static_cast<std::streamsize>(chunk - kept));
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
            if (parser.parse_many(reinterpret_cast<const std::uint8_t*>(buffer.data()) + from, end - from, 1 << 20)
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
                    const void* newline = std::memchr(buffer.data() + at, '\n', end - at);
                    resume = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - buffer.data()) + 1
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
        std::memmove(buffer.data(), buffer.data() + end, kept);
        if (got == 0) break;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("records %llu malformed %llu seconds %.3f records/s %.0f MB/s %.1f (%llu)\n",
                static_cast<unsigned long long>(records), static_cast<unsigned long long>(malformed), seconds,
                static_cast<double>(records) / seconds, static_cast<double>(bytes) / 1e6 / seconds,
                static_cast<unsigned long long>(kinds));
    return 0;
}
