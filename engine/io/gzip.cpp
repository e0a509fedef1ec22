// An input stream buffer that passes plain bytes through and inflates gzip
// data with zlib, chunk by chunk.

#include <patuh/gzip.hpp>

#include <fmt/core.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

namespace patuh {

namespace {

constexpr std::size_t chunk_bytes = 1 << 16;
constexpr unsigned char gzip_magic[2] = {0x1f, 0x8b};

}  // namespace

struct input_streambuf::state {
    std::streambuf& source;
    std::vector<char> in = std::vector<char>(chunk_bytes);  // compressed bytes read from the source
    std::vector<char> out = std::vector<char>(chunk_bytes); // bytes handed out
    std::size_t in_begin = 0;
    std::size_t in_end = 0;
    bool source_done = false;
    bool started = false;
    bool gzip = false;
    bool finished = false;        // no more output: a clean end or an error
    bool member_open = false;     // inside a gzip member (inflate has not reached its end)
    z_stream z{};
    bool z_ready = false;
    // Bytes taken from the source; read by the progress meter, possibly on
    // another thread than the one reading.
    std::atomic<std::uint64_t> taken = 0;
    std::uint64_t lines = 0;
    std::optional<bilingual> error;

    explicit state(std::streambuf& s) : source(s) {}
    ~state() {
        if (z_ready) inflateEnd(&z);
    }

    std::size_t available() const { return in_end - in_begin; }

    // Counts bytes taken from the source (one thread reads; others may look).
    void took(std::uint64_t n) { taken.store(taken.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }

    // Reads more of the source after the bytes not yet used. False at its end.
    bool refill() {
        if (source_done) return false;
        if (in_begin > 0) {
            std::memmove(in.data(), in.data() + in_begin, available());
            in_end -= in_begin;
            in_begin = 0;
        }
        const std::streamsize n =
            source.sgetn(in.data() + in_end, static_cast<std::streamsize>(in.size() - in_end));
        if (n <= 0) {
            source_done = true;
            return false;
        }
        in_end += static_cast<std::size_t>(n);
        took(static_cast<std::uint64_t>(n));
        return true;
    }

    // Looks at the first two bytes: gzip or not.
    void start() {
        started = true;
        while (available() < 2 && refill()) {
        }
        gzip = available() >= 2 && static_cast<unsigned char>(in[in_begin]) == gzip_magic[0] &&
               static_cast<unsigned char>(in[in_begin + 1]) == gzip_magic[1];
        if (!gzip) return;
        // 15 + 16: a gzip wrapper, the largest window.
        if (inflateInit2(&z, 15 + 16) != Z_OK) {
            fail({"zlib tidak dapat dimulai", "zlib cannot be started"});
            return;
        }
        z_ready = true;
        member_open = true;
    }

    void fail(bilingual why) {
        error = std::move(why);
        finished = true;
    }

    void corrupt() {
        const std::string where = fmt::format("{}", taken.load(std::memory_order_relaxed) - available());
        fail({fmt::format("data gzip rusak (sekitar bita terkompresi ke-{}); sisa berkas tidak dibaca", where),
              fmt::format("the gzip data is corrupt (near compressed byte {}); the rest of the file is not read",
                          where)});
    }

    void cut_off() {
        fail({"data gzip terpotong: berkas berakhir sebelum aliran gzip selesai",
              "the gzip data is cut off: the file ends before the gzip stream does"});
    }

    // After the end of a gzip member: another member, or the end.
    void next_member() {
        member_open = false;
        while (available() < 2 && refill()) {
        }
        if (available() == 0) {
            finished = true;
            return;
        }
        if (available() < 2 || static_cast<unsigned char>(in[in_begin]) != gzip_magic[0] ||
            static_cast<unsigned char>(in[in_begin + 1]) != gzip_magic[1]) {
            fail({"ada data yang bukan gzip setelah akhir aliran gzip; data itu tidak dibaca",
                  "there are bytes that are not gzip data after the end of the gzip stream; they are not read"});
            return;
        }
        inflateReset(&z);
        member_open = true;
    }

    // Writes the next decompressed bytes at `to`, no more than `room`; the count, 0 at the end.
    std::size_t inflate_some(char* to, std::size_t room) {
        while (!finished) {
            if (!member_open) {
                next_member();
                continue;
            }
            if (available() == 0 && !refill()) {
                cut_off();
                return 0;
            }
            z.next_in = reinterpret_cast<Bytef*>(in.data() + in_begin);
            z.avail_in = static_cast<uInt>(available());
            z.next_out = reinterpret_cast<Bytef*>(to);
            z.avail_out = static_cast<uInt>(room);
            const int rc = inflate(&z, Z_NO_FLUSH);
            in_begin = in_end - z.avail_in;
            const std::size_t produced = room - z.avail_out;
            if (rc == Z_STREAM_END) {
                member_open = false;
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                corrupt();
                return produced;  // what was inflated before the damage is good
            } else if (rc == Z_BUF_ERROR && produced == 0 && !refill()) {
                cut_off();
                return 0;
            }
            if (produced > 0) return produced;
        }
        return 0;
    }

    // Writes the next bytes as the readers see them at `out` after its
    // first `have`, no more than `room`; the count, 0 at the end.
    std::size_t next_bytes(std::size_t have, std::size_t room) {
        char* const to = out.data() + have;
        std::size_t n = 0;
        if (gzip) {
            n = inflate_some(to, room);
            lines += static_cast<std::uint64_t>(std::count(to, to + n, '\n'));
        } else if (available() > 0) {
            // the bytes looked at to detect gzip
            n = std::min(available(), room);
            std::memcpy(to, in.data() + in_begin, n);
            in_begin += n;
        } else if (!source_done) {
            const std::streamsize got = source.sgetn(to, static_cast<std::streamsize>(room));
            if (got > 0) {
                n = static_cast<std::size_t>(got);
                took(n);
            } else {
                source_done = true;
            }
        }
        return n;
    }
};

input_streambuf::input_streambuf(std::streambuf& source) : s_(std::make_unique<state>(source)) {}
input_streambuf::~input_streambuf() = default;

bool input_streambuf::compressed() {
    if (!s_->started) s_->start();
    return s_->gzip;
}

std::string_view input_streambuf::first_bytes(std::size_t wanted) {
    // Nothing was taken yet: the bytes gathered so far begin the buffer.
    std::size_t have = static_cast<std::size_t>(egptr() - eback());
    wanted = std::min(wanted, s_->out.size());
    if (!s_->started) s_->start();
    while (have < wanted) {
        const std::size_t n = s_->next_bytes(have, wanted - have);
        if (n == 0) break;
        have += n;
        setg(s_->out.data(), s_->out.data(), s_->out.data() + have);
    }
    return {s_->out.data(), have};
}

std::uint64_t input_streambuf::source_bytes() const { return s_->taken.load(std::memory_order_relaxed); }
std::uint64_t input_streambuf::lines() const { return s_->lines; }
const std::optional<bilingual>& input_streambuf::error() const { return s_->error; }

input_streambuf::int_type input_streambuf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (!s_->started) s_->start();
    const std::size_t n = s_->next_bytes(0, s_->out.size());
    if (n == 0) return traits_type::eof();
    setg(s_->out.data(), s_->out.data(), s_->out.data() + n);
    return traits_type::to_int_type(*gptr());
}

std::streamsize input_streambuf::xsgetn(char_type* s, std::streamsize n) {
    std::streamsize done = 0;
    while (done < n) {
        if (gptr() == egptr()) {
            // Plain bytes after detection: straight from the source, without a copy.
            if (s_->started && !s_->gzip && s_->available() == 0 && !s_->source_done) {
                const std::streamsize got = s_->source.sgetn(s + done, n - done);
                if (got <= 0) {
                    s_->source_done = true;
                    break;
                }
                s_->took(static_cast<std::uint64_t>(got));
                done += got;
                continue;
            }
            if (traits_type::eq_int_type(underflow(), traits_type::eof())) break;
        }
        const std::streamsize k = std::min<std::streamsize>(n - done, egptr() - gptr());
        std::memcpy(s + done, gptr(), static_cast<std::size_t>(k));
        gbump(static_cast<int>(k));
        done += k;
    }
    return done;
}

}  // namespace patuh
