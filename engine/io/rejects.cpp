// The rejects file: rejected records written back as they were read.

#include <patuh/rejects.hpp>

#include <fmt/core.h>

namespace patuh {

void rejects_writer::csv_header(std::string_view source, std::string_view header) {
    headers_.insert_or_assign(std::string(source), std::string(header));
}

void rejects_writer::refuse(const rejection& r, bilingual why) {
    if (error_) return;
    error_ = bilingual{fmt::format("{}:{}: {}", r.source, r.line, why.id), fmt::format("{}:{}: {}", r.source, r.line, why.en)};
}

void rejects_writer::write(const rejection& r) {
    if (const auto csv = headers_.find(r.source); csv != headers_.end()) {
        // Nothing to write (a header refused, a file that could not be read further): the
        // header line alone, when the file is still empty, so that reading it again says the same.
        if (r.record.empty() && form_ != form::none) return;
        if (form_ == form::json)
            return refuse(r, {"baris CSV yang ditolak tidak dapat ditulis ke berkas penolakan yang sudah memuat rekaman JSON",
                              "a rejected CSV row cannot be written to a rejects file that already holds JSON records"});
        if (form_ == form::csv && header_ != csv->second)
            return refuse(r, {"baris judul CSV ini berbeda dari baris judul di berkas penolakan; baris ini tidak ditulis",
                              "this CSV's header line differs from the one in the rejects file; the row is not written"});
        if (form_ == form::none) {
            form_ = form::csv;
            header_ = csv->second;
            out_ << header_ << '\n';
        }
        if (r.record.empty()) return;
        out_ << r.record << '\n';
        ++written_;
        return;
    }
    if (form_ == form::csv)
        return refuse(r, {"rekaman JSON yang ditolak tidak dapat ditulis ke berkas penolakan yang sudah memuat baris CSV",
                          "a rejected JSON record cannot be written to a rejects file that already holds CSV rows"});
    if (r.record.empty()) return;
    // Read again, a byte-order mark at the start of the file is taken for the
    // file's, not the record's: a first record that starts with one gets one more.
    if (form_ == form::none && r.record.starts_with("\xEF\xBB\xBF")) out_ << "\xEF\xBB\xBF";
    form_ = form::json;
    // One record, one line: line breaks between the tokens of a JSON array element become spaces.
    std::string line;
    line.reserve(r.record.size());
    for (std::size_t i = 0; i < r.record.size(); ++i) {
        const char c = r.record[i];
        if (c == '\r' && i + 1 < r.record.size() && r.record[i + 1] == '\n') continue;
        line += c == '\n' ? ' ' : c;
    }
    // A record that ends in a carriage return keeps it: read again, the CR
    // before the line feed is taken for part of the line end.
    out_ << line << (line.ends_with('\r') ? "\r\n" : "\n");
    ++written_;
}

}  // namespace patuh
