// libFuzzer target: the bytes are one input as `patuh audit` reads it: gzip
// data or not, read as a CSV position-history export and as an event file
// (JSON Lines or a JSON array), with whole records kept for a rejects file;
// the CSV also with a record limit of 40 bytes, which most rows exceed.
// Checks that the counts add up, that every rejection has a line and a code,
// and that every rejected record with text reaches the rejects file
// (fuzz_common.hpp).

#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    patuh::fuzz::shipped_rules();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    patuh::fuzz::read_and_check(bytes, "fuzz.csv", 4096);
    patuh::fuzz::read_and_check(bytes, "fuzz.csv", 40);  // rows over the limit, in pieces: the rest of the file is still read
    patuh::fuzz::read_and_check(bytes, "fuzz.jsonl.gz", 4096);
    return 0;
}
