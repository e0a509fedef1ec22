#pragma once
// The bytes of an input, decompressed on the fly when they are gzip data
// (the first two bytes 1f 8b), in bounded memory. Every reader (JSON, JSON
// Lines, CSV) reads through it unchanged. Concatenated gzip members (as
// `cat a.gz b.gz` or pigz write them) are read one after the other.

#include <patuh/i18n.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <streambuf>
#include <string_view>

namespace patuh {

class input_streambuf : public std::streambuf {
public:
    explicit input_streambuf(std::streambuf& source);
    ~input_streambuf() override;
    input_streambuf(const input_streambuf&) = delete;
    input_streambuf& operator=(const input_streambuf&) = delete;

    // Whether the input is gzip data (known once the first bytes were read).
    bool compressed();
    // The first `wanted` bytes of the input as the readers will see them
    // (decompressed), without taking them: gathered over as many reads as it
    // takes (a pipe may deliver a few bytes at a time), fewer only when the
    // input ends before (empty for an empty input), never more than the
    // buffer's 64 KiB. Only before anything is read; may be called again
    // with a larger `wanted`.
    std::string_view first_bytes(std::size_t wanted = first_bytes_looked_at);
    static constexpr std::size_t first_bytes_looked_at = 4096;
    // Bytes taken from the source so far: compressed bytes for gzip data.
    std::uint64_t source_bytes() const;
    // Line breaks handed out so far: the line where reading stopped after an error is lines() + 1.
    std::uint64_t lines() const;
    // Why the gzip data could not be read to its end (corrupt, cut off); the
    // bytes handed out before are good. Nothing after a clean end.
    const std::optional<bilingual>& error() const;

protected:
    int_type underflow() override;
    std::streamsize xsgetn(char_type* s, std::streamsize n) override;

private:
    struct state;
    std::unique_ptr<state> s_;
};

}  // namespace patuh
