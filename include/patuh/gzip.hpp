#pragma once
// The bytes of an input, decompressed on the fly when they are gzip data
// (the first two bytes 1f 8b), in bounded memory. Every reader (JSON, JSON
// Lines, CSV) reads through it unchanged. Concatenated gzip members (as
// `cat a.gz b.gz` or pigz write them) are read one after the other.

#include <patuh/i18n.hpp>

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
    // The first bytes of the input as the readers will see them (decompressed),
    // as many as its first read gave (empty for an empty input), without
    // taking them. Only before anything is read.
    std::string_view first_bytes();
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
