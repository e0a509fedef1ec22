// Why a file could not be read or written, as the user reads it in either
// language.

#include "common/support.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

using namespace patuh;

TEST_CASE("the reasons a user meets with files have their own words in both languages", "[support]") {
    for (const int error : {ENOENT, EACCES, EPERM, EISDIR, ENOSPC, EROFS, ENAMETOOLONG, ENOTDIR, EIO, EFBIG, EMFILE,
                            ENFILE, ENOMEM, ELOOP, ETXTBSY, EBUSY, EDQUOT, EPIPE, EEXIST, ENXIO, ENODEV, EINVAL,
                            ESPIPE}) {
        INFO("errno " << error << ": " << std::strerror(error));
        const bilingual why = io_reason(error);
        CHECK_FALSE(why.id.empty());
        CHECK_FALSE(why.en.empty());
        CHECK(why.id != why.en);
        CHECK(why.id != std::strerror(error));
        CHECK(why.id.find("galat sistem") == std::string::npos);
    }
    CHECK(io_reason(EIO).id == "galat masukan/keluaran pada disk atau perangkatnya");
    CHECK(io_reason(EIO).en == "an input/output error on the disk or device");
}

TEST_CASE("any other reason keeps the system's words, with the errno name and number in Indonesian", "[support]") {
    const bilingual why = io_reason(ETIMEDOUT);
    CHECK(why.en == std::strerror(ETIMEDOUT));
    CHECK(why.id == "galat sistem: " + std::string(std::strerror(ETIMEDOUT)) + " (ETIMEDOUT, " +
                        std::to_string(ETIMEDOUT) + ")");
    // A number without a name: the number alone.
    CHECK(io_reason(4000).id == "galat sistem: " + std::string(std::strerror(4000)) + " (4000)");
    CHECK(cannot_read(ETIMEDOUT).id == "berkas tidak dapat dibaca: " + why.id);
    CHECK(cannot_write_standard_output(ENOSPC).id == "keluaran standar tidak dapat ditulis: ruang penyimpanan penuh");
    CHECK(cannot_write_standard_output(ENOSPC).en == "cannot write to standard output: no space left on the device");
}

TEST_CASE("a command stopped by an exception says why in both languages, the exception's words kept", "[support]") {
    const bilingual memory = unfinished(std::bad_alloc());
    CHECK(memory.en == "not enough memory to finish: std::bad_alloc");
    CHECK(memory.id == "memori tidak cukup untuk menyelesaikan: std::bad_alloc");
    CHECK(unfinished(std::bad_array_new_length()).en.starts_with("not enough memory to finish: "));
    const bilingual other = unfinished(std::logic_error("vector::_M_range_check\x1b[2J"));
    CHECK(other.en == "internal error: vector::_M_range_check\\u001B[2J; please report it with the command that was run");
    CHECK(other.id ==
          "galat internal: vector::_M_range_check\\u001B[2J; mohon laporkan beserta perintah yang dijalankan");
}
