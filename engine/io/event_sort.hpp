#pragma once
// Events put in date order, for logs sorted some other way: by region, by
// person (a position-history export), or exports of several regions given
// one after the other (`--sort`). Equal dates keep the order they were added
// in, so a log already in date order is judged exactly as without sorting.
// The records of the regions' calendars (elections, inaugurations,
// caretakers) come first, in the order added: the windows they open may
// start before their own dates.
//
// Each event added is encoded into a run in memory. A run that reaches the
// memory budget is sorted by date (stably) and written to an unnamed
// temporary file ($TMPDIR, else /tmp). At the end the runs are merged, the
// last one straight from memory and the others each through a buffer of its
// own (together half the budget), so that memory stays under twice the
// budget whatever the log's size; a log that fits in one run never touches
// the disk. The file takes about half the size of the JSON Lines it came
// from (texts with varint lengths). Not safe to use from two threads.

#include <patuh/event.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

namespace patuh {

// The temporary file of sorted runs could not be made, written or read;
// code() holds errno's.
struct sort_file_error : std::system_error {
    enum class step : std::uint8_t { make, write, read };
    sort_file_error(step s, int error);
    step failed;
};

class event_sorter {
public:
    static constexpr std::size_t default_memory_bytes = std::size_t{8} << 20;
    // Receives the events in date order, with the place (0-based) of the
    // input each came from as given to add().
    using sink = std::function<void(std::uint32_t input, const event& e)>;

    explicit event_sorter(std::size_t memory_bytes = default_memory_bytes);
    ~event_sorter();
    event_sorter(const event_sorter&) = delete;
    event_sorter& operator=(const event_sorter&) = delete;

    // Keeps a copy of `e`, which came from input number `input`. Throws
    // sort_file_error when the temporary file cannot be made or written.
    void add(const event& e, std::uint32_t input);
    // Gives `to` every event added: the calendar records, then the others by
    // date, each in the order added within its date; the sorter is empty
    // afterwards. Throws sort_file_error when the temporary file cannot be
    // read.
    void drain(const sink& to);

    std::uint64_t size() const { return count_; }
    // Bytes written to the temporary file so far (0: everything fitted in memory).
    std::uint64_t file_bytes() const { return file_end_; }

private:
    // An event of the run in memory: its date, and where its encoding is in run_.
    struct entry {
        std::int32_t days;
        std::uint32_t offset;
        std::uint32_t size;
    };
    // A sorted run in the file: the bytes [start, end).
    struct file_run {
        std::uint64_t start;
        std::uint64_t end;
    };
    class run_cursor;

    void sort_run();
    void write_run();
    static constexpr std::uint32_t no_input = 0xffffffff;  // no input's number
    // Decodes one event into `into` and its input's number into `input`. The
    // event's source is set only when the input is not `input`'s number on
    // entry (no_input at first): the events of one input in a row share it.
    void decode(std::string_view bytes, std::uint32_t& input, event& into) const;

    std::size_t memory_bytes_;
    std::string run_;             // the encodings of the run in memory
    std::vector<entry> entries_;  // one a run event, in the order added (sorted by sort_run)
    std::vector<file_run> runs_;  // the runs written, in the order made
    std::vector<std::string> sources_;  // each input's name (event::source)
    std::string out_;             // what write_run writes, a buffer at a time
    int fd_ = -1;
    std::uint64_t file_end_ = 0;
    std::uint64_t count_ = 0;
};

}  // namespace patuh
