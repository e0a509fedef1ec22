// One input, whatever its form: gzip detection, the choice of reader, progress.

#include <patuh/gzip.hpp>
#include <patuh/input.hpp>

#include "io/pipelined_reader.hpp"

#include <algorithm>

namespace patuh {

namespace {

bool ends_with_folded(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                      [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b); });
}

}  // namespace

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
    const input_format format = input_format_for(name, settings.format);

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
