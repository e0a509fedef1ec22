// One input, whatever its form: gzip detection, the choice of reader, progress.

#include <patuh/gzip.hpp>
#include <patuh/input.hpp>

#include "io/pipelined_reader.hpp"

#include <algorithm>

namespace patuh {

namespace {

// A kind of file that is not a log, and what to do instead.
struct foreign_kind {
    const char* id;
    const char* en;
};

bilingual foreign_reason(foreign_kind kind, foreign_kind advice) {
    return {fmt::format("ini {}: {}", kind.id, advice.id), fmt::format("this is {}: {}", kind.en, advice.en)};
}

constexpr foreign_kind save_as_csv{
    "buka di Excel atau LibreOffice Calc, simpan lembarnya sebagai \"CSV UTF-8\" (File, Save As), lalu berikan berkas "
    ".csv itu kepada patuh",
    "open it in Excel or LibreOffice Calc, save the sheet as \"CSV UTF-8\" (File, Save As) and give patuh the .csv "
    "file"};

// Comparisons of ASCII letters in any case, with a lower-case `prefix` or `suffix`.
bool same_folded(char lower, char c) { return lower == (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c); }

bool starts_with_folded(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin(), same_folded);
}

bool ends_with_folded(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()), same_folded);
}

// The tool that compressed data other than gzip, by its first bytes: xz,
// bzip2 ("BZh", the block size 1-9, then the first block's mark) or zstd.
const char* compressor_of(std::string_view b) {
    if (b.starts_with("\xFD" "7zXZ")) return "xz";
    if (b.starts_with("\x28\xB5\x2F\xFD")) return "zstd";
    if (b.size() >= 10 && b.starts_with("BZh") && b[3] >= '1' && b[3] <= '9' &&
        b.substr(4).starts_with("\x31\x41\x59\x26\x53\x59"))
        return "bzip2";
    return nullptr;
}

// The first line of `text` that is not blank, after a byte-order mark,
// without its line end.
std::string_view first_line(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    text.remove_prefix(std::min(text.size(), text.find_first_not_of(" \t\r\n")));
    text = text.substr(0, text.find('\n'));
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
}

// Whether `text` holds the line end of its first line that is not blank.
bool first_line_ends(std::string_view text) {
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    return start != std::string_view::npos && text.find('\n', start) != std::string_view::npos;
}

// The first bytes of `bytes` through the line end of the first line that is
// not blank (an export's header, however slowly a pipe delivers it), or as
// many as there are before the end of the input or the buffer's.
std::string_view through_first_line(input_streambuf& bytes, std::string_view head) {
    while (!first_line_ends(head)) {
        const std::size_t wanted = head.size() + input_streambuf::first_bytes_looked_at;
        head = bytes.first_bytes(wanted);
        if (head.size() < wanted) break;
    }
    return head;
}

}  // namespace

std::optional<bilingual> foreign_file(std::string_view first_bytes, std::string_view name) {
    const std::string_view b = first_bytes;
    if (b.starts_with("PK\x03\x04") || b.starts_with("PK\x05\x06")) {
        // Workbooks are ZIP archives: an .xlsx keeps its sheets under xl/, an .ods names its type first.
        const auto named = [&](std::string_view suffix) { return ends_with_folded(name, suffix); };
        if (b.find("application/vnd.oasis.opendocument.spreadsheet") != std::string_view::npos || named(".ods"))
            return foreign_reason({"lembar kerja OpenDocument (.ods)", "an OpenDocument spreadsheet (.ods)"},
                                  save_as_csv);
        if (b.find("xl/") != std::string_view::npos || named(".xlsx") || named(".xlsm"))
            return foreign_reason({"buku kerja Excel (.xlsx)", "an Excel workbook (.xlsx)"}, save_as_csv);
        return foreign_reason({"arsip ZIP", "a ZIP archive"},
                              {"buka arsipnya dan berikan berkas di dalamnya kepada patuh (lembar kerja disimpan dulu "
                               "sebagai \"CSV UTF-8\")",
                               "unpack it and give patuh the files it holds (a workbook's sheet saved as \"CSV UTF-8\" "
                               "first)"});
    }
    if (b.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
        return foreign_reason({"buku kerja Excel 97-2003 (.xls) atau berkas Microsoft Office lain",
                               "an Excel 97-2003 workbook (.xls) or another Microsoft Office file"},
                              save_as_csv);
    if (b.starts_with("%PDF-"))
        return foreign_reason({"dokumen PDF", "a PDF document"},
                              {"patuh membaca datanya sendiri, sebagai CSV, JSON Lines atau JSON; mintalah ekspornya "
                               "dalam salah satu bentuk itu",
                               "patuh reads the data itself, as CSV, JSON Lines or JSON; ask for the export in one of "
                               "those"});
    if (b.starts_with("\xFF\xFE") || b.starts_with("\xFE\xFF"))
        return foreign_reason({"teks UTF-16 (seperti yang disimpan \"Unicode Text\" Excel)",
                               "UTF-16 text (as Excel's \"Unicode Text\" saves it)"},
                              {"patuh membaca UTF-8; simpan sebagai \"CSV UTF-8\", atau ubah dengan iconv -f UTF-16 -t "
                               "UTF-8",
                               "patuh reads UTF-8; save it as \"CSV UTF-8\" instead, or convert it with iconv -f UTF-16 "
                               "-t UTF-8"});
    if (const char* tool = compressor_of(b))
        return bilingual{fmt::format("ini data yang dimampatkan dengan {0}: patuh hanya membaca data gzip; buka "
                                     "mampatannya ({0} -d) atau mampatkan dengan gzip",
                                     tool),
                         fmt::format("this is data compressed with {0}: patuh reads gzip data only; decompress it "
                                     "({0} -d) or compress it with gzip",
                                     tool)};
    // A web page or an XML file, after a byte-order mark and blank space.
    const std::string_view text = first_line(b);
    if (starts_with_folded(text, "<!doctype html") || starts_with_folded(text, "<html") ||
        starts_with_folded(text, "<table"))
        return foreign_reason({"halaman web (HTML), seperti yang disimpan sebagian sistem dengan nama lembar kerja",
                               "a web page (HTML), as some systems save a table under a spreadsheet's name"},
                              save_as_csv);
    if (text.starts_with("<?xml"))
        return foreign_reason({"dokumen XML (misalnya lembar kerja XML Excel 2003)",
                               "an XML document (such as an Excel 2003 XML spreadsheet)"},
                              save_as_csv);
    return std::nullopt;
}

input_format input_format_for(std::string_view name, input_format requested) {
    if (requested != input_format::automatic) return requested;
    if (ends_with_folded(name, ".gz")) name.remove_suffix(3);
    return ends_with_folded(name, ".csv") ? input_format::csv : input_format::automatic;
}

read_counts read_input(std::istream& in, std::string_view name, std::optional<std::uint64_t> size,
                       const rule_set& rules, const event_sink& on_event, const rejection_sink& on_reject,
                       const input_settings& settings) {
    input_streambuf bytes(*in.rdbuf());
    std::istream stream(&bytes);
    // A read error of the file (EIO, say) reaches the caller as the
    // std::ios_base::failure its buffer threw, with its errno, whichever
    // reader met it, rather than reading as the end of the input.
    stream.exceptions(std::ios::badbit);
    // The first 4 KiB (or the whole of a shorter input), however many reads of a pipe they take.
    const std::string_view head = bytes.first_bytes();
    if (std::optional<bilingual> why = foreign_file(head, name)) throw foreign_input(std::move(*why));
    input_format format = input_format_for(name, settings.format);
    // An export under another name (riwayat.txt, or a .xls that is CSV text) is told by its header line.
    if (format == input_format::automatic &&
        export_header(first_line(through_first_line(bytes, head)), settings.mapping))
        format = input_format::csv;

    // With progress shown, every record is counted on its way.
    progress_meter* meter = settings.progress != nullptr && settings.progress->enabled() ? settings.progress : nullptr;
    event_sink counted_event;
    rejection_sink counted_reject;
    if (meter != nullptr) {
        meter->start(name, size, [&bytes] { return bytes.source_bytes(); });
        counted_event = [&](const event& e) {
            meter->record();
            on_event(e);
        };
        counted_reject = [&](rejection&& r) {
            meter->record();
            on_reject(std::move(r));
        };
    }
    const event_sink& events = meter != nullptr ? counted_event : on_event;
    const rejection_sink& rejects = meter != nullptr ? counted_reject : on_reject;

    read_counts counts;
    if (format == input_format::csv) {
        const auto header_seen = [&](std::string_view header) {
            if (settings.rejects != nullptr) settings.rejects->csv_header(name, header);
        };
        const auto import = [&](const event_sink& to_event, const rejection_sink& to_reject,
                                const std::function<void(std::string_view)>& to_header) {
            csv_import_options options;
            options.mapping = settings.mapping;
            options.limits = settings.limits;
            if (settings.rejects != nullptr) options.on_header = to_header;
            return import_csv(stream, name, rules, to_event, to_reject, options);
        };
        if (settings.limits.threads > 1) {
            input_support::pipelined_reader pipeline;
            counts = pipeline.run(import, events, rejects, header_seen);
        } else {
            counts = import(events, rejects, header_seen);
        }
    } else {
        counts = read_events(stream, name, rules, events, rejects, format, settings.limits);
    }
    if (const auto& damage = bytes.error()) {
        rejection r;
        r.source = std::string(name);
        r.line = bytes.lines() + 1;
        r.code = "R0117";
        r.reason = *damage;
        r.ends_input = true;
        ++counts.read;
        ++counts.rejected;
        rejects(std::move(r));
    }
    return counts;
}

}  // namespace patuh
