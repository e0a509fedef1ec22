#include <patuh/date.hpp>

#include "common/support.hpp"

#include <fmt/core.h>

#include <array>
#include <cstring>

namespace patuh {
namespace {

// Howard Hinnant's civil-calendar algorithms (public domain), proleptic Gregorian.
constexpr std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
}

struct civil {
    int y;
    unsigned m, d;
};

constexpr civil civil_from_days(std::int32_t z) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(civil_from_days(days_from_civil(2017, 8, 11)).d == 11);

}  // namespace

bool is_valid_calendar_day(int year, unsigned month, unsigned day) {
    if (month < 1 || month > 12 || day < 1) return false;
    static constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const unsigned last = month == 2 && leap ? 29 : lengths[month - 1];
    return day <= last;
}

date date::from_ymd(int year, unsigned month, unsigned day) {
    return from_days(days_from_civil(year, month, day));
}

std::optional<date> date::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto number = [&](std::size_t pos, std::size_t len, int& out) {
        int value = 0;
        for (const char c : text.substr(pos, len)) {
            if (c < '0' || c > '9') return false;
            value = value * 10 + (c - '0');
        }
        out = value;
        return true;
    };
    int y = 0, m = 0, d = 0;
    if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return std::nullopt;
    if (y < 1900 || y > 2199) return std::nullopt;
    if (!is_valid_calendar_day(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) return std::nullopt;
    return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

int date::year() const { return civil_from_days(days_).y; }
unsigned date::month() const { return civil_from_days(days_).m; }
unsigned date::day() const { return civil_from_days(days_).d; }

char* write_iso(date d, char* out) {
    const civil c = civil_from_days(d.days());
    if (c.y < 0 || c.y > 9999) {
        // (fmt::format, not format_to into `out`: the latter does not link with clang against Debian's libfmt)
        const std::string text = fmt::format("{:04}-{:02}-{:02}", c.y, c.m, c.d);
        std::memcpy(out, text.data(), text.size());
        return out + text.size();
    }
    // "00" to "99"
    static constexpr auto pairs = [] {
        std::array<char, 200> digits{};
        for (std::size_t n = 0; n < 100; ++n) {
            digits[2 * n] = static_cast<char>('0' + n / 10);
            digits[2 * n + 1] = static_cast<char>('0' + n % 10);
        }
        return digits;
    }();
    const auto two = [&](unsigned n, char* at) { std::memcpy(at, pairs.data() + 2 * n, 2); };
    const auto y = static_cast<unsigned>(c.y);
    two(y / 100, out);
    two(y % 100, out + 2);
    out[4] = '-';
    two(c.m, out + 5);
    out[7] = '-';
    two(c.d, out + 8);
    return out + 10;
}

std::string date::iso() const {
    char text[iso_room];
    return std::string(text, write_iso(*this, text));
}

date date::plus_months(int n) const {
    const int total = year() * 12 + static_cast<int>(month()) - 1 + n;
    const int y = total / 12;
    const auto m = static_cast<unsigned>(total % 12 + 1);
    unsigned d = day();
    while (d > 28 && !is_valid_calendar_day(y, m, d)) --d;
    return from_ymd(y, m, d);
}

}  // namespace patuh
