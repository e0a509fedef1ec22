// Unnamed temporary files.

#include "common/temporary_file.hpp"

#include <cerrno>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace patuh {

std::string temporary_directory() {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    return ec ? std::string("/tmp") : dir.string();
}

int temporary_file() {
    std::string name = (std::filesystem::path(temporary_directory()) / "patuh-audit-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd >= 0) ::unlink(name.c_str());
    return fd;
}

namespace {

// Calls `io` (pwrite or pread) until all `n` bytes at `at` are transferred.
template <class Buffer, class Io>
bool transfer_all(int fd, std::uint64_t at, Buffer* data, std::size_t n, Io io) {
    while (n > 0) {
        const ssize_t done = io(fd, data, n, static_cast<off_t>(at));
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) return false;
        data += done;
        at += static_cast<std::uint64_t>(done);
        n -= static_cast<std::size_t>(done);
    }
    return true;
}

}  // namespace

bool write_all_at(int fd, std::uint64_t at, const char* data, std::size_t n) {
    return transfer_all(fd, at, data, n, ::pwrite);
}

bool read_all_at(int fd, std::uint64_t at, char* into, std::size_t n) {
    return transfer_all(fd, at, into, n, ::pread);
}

}  // namespace patuh
