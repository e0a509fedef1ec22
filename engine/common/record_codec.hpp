#pragma once
// Fields of the binary records kept in record_pages: numbers as their bytes,
// strings with a 32-bit length, optional values behind a presence byte.

#include <patuh/event.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace patuh {

// Where a record's bytes go: appended to a string, written at a pointer into
// room sized beforehand, or only counted (to size that room).
struct string_sink {
    std::string& out;
    void put(const void* bytes, std::size_t n) {
        if (n != 0) out.append(static_cast<const char*>(bytes), n);  // an empty view may have no data
    }
};
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
    void someone(const std::optional<person>& p) {
        raw(static_cast<std::uint8_t>(p.has_value()));
        if (!p) return;
        text(p->nip);
        text(p->name);
    }
    template <class T>
    void maybe(const std::optional<T>& v) {
        raw(static_cast<std::uint8_t>(v.has_value()));
        if (v) raw(*v);
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

// Appends fields to a binary record in a string.
class record_writer : public basic_record_writer<string_sink> {
public:
    explicit record_writer(std::string& out) : basic_record_writer<string_sink>(string_sink{out}) {}
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
    void someone(std::optional<person>& into) {
        if (raw<std::uint8_t>() == 0) {
            into.reset();
            return;
        }
        if (!into) into.emplace();
        text(into->nip);
        text(into->name);
    }
    template <class T>
    std::optional<T> maybe() {
        if (raw<std::uint8_t>() == 0) return std::nullopt;
        return raw<T>();
    }
    void field(std::string& into) { text(into); }
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
