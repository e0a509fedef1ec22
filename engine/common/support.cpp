#include "common/support.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <istream>
#include <new>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace patuh {

std::string shown(std::string_view text) {
    const auto control = [](unsigned char c) { return c < 0x20 || c == 0x7F; };
    const auto c1 = [&](std::size_t i) {  // U+0080..U+009F: C2 80..C2 9F
        return static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    };
    if (std::none_of(text.begin(), text.end(), [&](char c) {
            return control(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) == 0xC2;
        }))
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (control(c)) out += fmt::format("\\u{:04X}", c);
        else if (c1(i)) out += fmt::format("\\u{:04X}", static_cast<unsigned char>(text[++i]));
        else out += static_cast<char>(c);
    }
    return out;
}

namespace {

bool same_folded(std::string_view text, std::size_t at, std::string_view lower) {
    if (text.size() - at < lower.size()) return false;
    for (std::size_t k = 0; k < lower.size(); ++k)
        if (std::tolower(static_cast<unsigned char>(text[at + k])) != lower[k]) return false;
    return true;
}

// Whether text[i] is the character GFM's extended autolinks are found by
// while inlines are parsed: the '.' of "www." and the ':' of "://" (http,
// https, ftp). A backslash before it turns the character into an escape, so
// the text reads "www\." or "http\://" to the parser and is no link.
bool starts_autolink(std::string_view text, std::size_t i) {
    if (text[i] == '.') return i >= 3 && same_folded(text, i - 3, "www");
    if (text[i] == ':') return same_folded(text, i + 1, "//");
    return false;
}

}  // namespace

std::string markdown_text(std::string_view text) {
    constexpr std::string_view markup = "\\`*_[]<>&|#~$";
    std::string out;
    out.reserve(text.size() + 8);
    // A list marker at the start: '-' or '+', or up to nine digits and '.'
    // or ')', followed by a space or a tab.
    std::size_t marker = 0;
    while (marker < text.size() && marker < 9 && std::isdigit(static_cast<unsigned char>(text[marker]))) ++marker;
    const bool list_marker = marker + 1 < text.size() &&
                             (marker == 0 ? text[0] == '-' || text[0] == '+' : text[marker] == '.' || text[marker] == ')') &&
                             (text[marker + 1] == ' ' || text[marker + 1] == '\t');
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((list_marker && i == marker) || markup.find(text[i]) != std::string_view::npos || starts_autolink(text, i))
            out += '\\';
        // GFM finds an email address in a text node after escapes are undone,
        // so no escape keeps one from becoming a link: an empty HTML comment
        // splits the text node before the '@' and shows nothing.
        if (text[i] == '@') out += "<!-- -->";
        out += text[i];
    }
    return shown(out);
}

std::string markdown_code(std::string_view text) {
    std::size_t longest = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t run = 0;
        while (i < text.size() && text[i] == '`') ++run, ++i;
        longest = std::max(longest, run);
        if (run == 0) ++i;
    }
    const std::string fence(longest + 1, '`');
    const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
    return fence + (pad ? " " : "") + shown(text) + (pad ? " " : "") + fence;
}

bilingual io_reason(int error) {
    switch (error) {
    case ENOENT: return {"berkas atau foldernya tidak ada", "no such file or folder"};
    case EACCES:
    case EPERM: return {"tidak ada izin untuk mengaksesnya", "permission denied"};
    case EISDIR: return {"ini folder, bukan berkas", "this is a folder, not a file"};
    case ENOSPC: return {"ruang penyimpanan penuh", "no space left on the device"};
    case EROFS: return {"sistem berkasnya hanya dapat dibaca", "the file system is read-only"};
    case ENAMETOOLONG: return {"namanya terlalu panjang", "the name is too long"};
    case ENOTDIR: return {"salah satu bagian jalurnya bukan folder", "a part of the path is not a folder"};
    case EIO: return {"galat masukan/keluaran pada disk atau perangkatnya", "an input/output error on the disk or device"};
    case EFBIG: return {"berkasnya terlalu besar", "the file is too large"};
    case EMFILE: return {"terlalu banyak berkas terbuka dalam proses ini", "too many files are open in this process"};
    case ENFILE: return {"terlalu banyak berkas terbuka dalam sistem", "too many files are open in the system"};
    case ENOMEM: return {"memori tidak cukup", "not enough memory"};
    case ELOOP: return {"terlalu banyak tautan simbolik berantai (mungkin berputar)",
                        "too many symbolic links in a row (perhaps a loop)"};
    case ETXTBSY: return {"berkasnya sedang dijalankan sebagai program", "the file is a program being run"};
    case EBUSY: return {"perangkat atau berkasnya sedang dipakai", "the device or file is busy"};
    case EDQUOT: return {"kuota penyimpanan habis", "the disk quota is used up"};
    case EPIPE: return {"ujung penerimanya sudah ditutup (pipa putus)", "the receiving end is closed (broken pipe)"};
    case EEXIST: return {"berkasnya sudah ada", "the file already exists"};
    case ENXIO: return {"perangkat atau alamatnya tidak ada", "no such device or address"};
    case ENODEV: return {"perangkatnya tidak ada atau tidak mendukung ini", "no such device, or it does not support this"};
    case EINVAL: return {"operasinya tidak sah untuk berkas ini", "the operation is not valid for this file"};
    case ESPIPE: return {"posisi dalam berkas ini tidak dapat dipindah (pipa atau soket)",
                         "this file cannot be repositioned (a pipe or a socket)"};
    case 0: return {"galat masukan/keluaran", "an input/output error"};
    default: break;
    }
    // Any other: the C locale's words (English), and in Indonesian the errno
    // name and number too, so that nothing of it is lost.
    const std::string system = std::strerror(error);
    const char* name = strerrorname_np(error);
    const std::string code = name ? fmt::format("{}, {}", name, error) : std::to_string(error);
    return {fmt::format("galat sistem: {} ({})", system, code), system};
}

int system_errno(const std::error_code& code) {
    return code.category() == std::system_category() || code.category() == std::generic_category() ? code.value() : 0;
}

bilingual cannot_read(int error) {
    const bilingual why = io_reason(error);
    return {fmt::format("berkas tidak dapat dibaca: {}", why.id), fmt::format("cannot read the file: {}", why.en)};
}

bilingual cannot_write(int error) {
    const bilingual why = io_reason(error);
    return {fmt::format("berkas tidak dapat ditulis: {}", why.id), fmt::format("cannot write the file: {}", why.en)};
}

bilingual cannot_write_standard_output(int error) {
    const bilingual why = io_reason(error);
    return {fmt::format("keluaran standar tidak dapat ditulis: {}", why.id),
            fmt::format("cannot write to standard output: {}", why.en)};
}

bilingual unfinished(const std::exception& e) {
    const std::string what = shown(e.what());
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr)
        return {fmt::format("memori tidak cukup untuk menyelesaikan: {}", what),
                fmt::format("not enough memory to finish: {}", what)};
    return {fmt::format("galat internal: {}; mohon laporkan beserta perintah yang dijalankan", what),
            fmt::format("internal error: {}; please report it with the command that was run", what)};
}

bool read_whole_file(const std::string& path, std::string& text, int& error) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = errno;
        return false;
    }
    text.clear();
    std::array<char, 64 << 10> piece;
    try {
        // Straight from the file buffer: its read errors are thrown with their errno, not turned into a state bit.
        for (std::streamsize n; (n = in.rdbuf()->sgetn(piece.data(), piece.size())) > 0;)
            text.append(piece.data(), static_cast<std::size_t>(n));
    } catch (const std::ios_base::failure& e) {
        error = system_errno(e.code());
        return false;
    }
    return true;
}

std::string read_at_most(std::istream& in, std::size_t limit) {
    std::string text;
    std::array<char, 64 << 10> piece;
    while (in && text.size() <= limit) {
        in.read(piece.data(), static_cast<std::streamsize>(std::min(piece.size(), limit + 1 - text.size())));
        text.append(piece.data(), static_cast<std::size_t>(in.gcount()));
    }
    return text;
}

}  // namespace patuh
