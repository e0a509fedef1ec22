#pragma once
// Fields of the binary records kept in record_pages (the rejection list's):
// numbers as their bytes, strings with a 32-bit length. The finding list
// lays out its records itself (engine/eval/findings.cpp); the events that
// --sort keeps use these for numbers and store texts with varint lengths
// (engine/io/event_sort.cpp).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace patuh {

// Where a record's bytes go: written at a pointer into room sized
// beforehand, or only counted (to size that room).
struct pointer_sink {
    char* at;
    void put(const void* bytes, std::size_t n) {
        if (n == 0) return;  // an empty view may have no data
        std::memcpy(at, bytes, n);
        at += n;
    }
};
struct size_sink {
    std::size_t bytes = 0;
    void put(const void*, std::size_t n) { bytes += n; }
};

// Writes the fields of a binary record into a sink.
template <class Sink>
class basic_record_writer {
public:
    explicit basic_record_writer(Sink sink) : sink_(sink) {}

    template <class T>
    void raw(T value) {
        sink_.put(&value, sizeof(T));
    }
    void text(std::string_view s) {
        raw(static_cast<std::uint32_t>(s.size()));
        sink_.put(s.data(), s.size());
    }
    // One field, named the same for writing and reading, so that a single
    // list of fields can serve both (see record_fields).
    void field(std::string_view s) { text(s); }
    template <class T>
        requires std::is_arithmetic_v<T>
    void field(T value) {
        raw(value);
    }
    const Sink& sink() const { return sink_; }

private:
    Sink sink_;
};

// Reads the fields back in the same order.
class record_reader {
public:
    record_reader(const char* data, std::size_t size) : at_(data), end_(data + size) {}

    template <class T>
    T raw() {
        need(sizeof(T));
        T value;
        std::memcpy(&value, at_, sizeof(T));
        at_ += sizeof(T);
        return value;
    }
    void text(std::string& into) {
        const auto n = raw<std::uint32_t>();
        need(n);
        into.assign(at_, n);
        at_ += n;
    }
    void field(std::string& into) { text(into); }
    // The next `n` bytes, valid while the record's bytes are.
    std::string_view take(std::size_t n) {
        need(n);
        const std::string_view bytes(at_, n);
        at_ += n;
        return bytes;
    }
    template <class T>
        requires std::is_arithmetic_v<T>
    void field(T& into) {
        into = raw<T>();
    }

private:
    void need(std::size_t n) const {
        if (static_cast<std::size_t>(end_ - at_) < n) throw std::runtime_error("stored record is truncated");
    }
    const char* at_;
    const char* end_;
};

}  // namespace patuh
