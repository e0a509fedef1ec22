#pragma once
// Unnamed temporary files, written and read at offsets: where the audit's
// finding and rejection lists spill (record_pages) and where `--sort` keeps
// its sorted runs (event_sorter).

#include <cstddef>
#include <cstdint>
#include <string>

namespace patuh {

// Where temporary files go: $TMPDIR, else /tmp.
std::string temporary_directory();

// An unnamed file in the temporary directory ($TMPDIR, else /tmp), removed
// when closed; -1 when none can be made (errno says why).
int temporary_file();

// Write or read all `n` bytes at offset `at`; false on an error (errno says
// which) or, reading, at the end of the file.
bool write_all_at(int fd, std::uint64_t at, const char* data, std::size_t n);
bool read_all_at(int fd, std::uint64_t at, char* into, std::size_t n);

}  // namespace patuh
