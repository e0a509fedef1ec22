#pragma once
// A calendar date as a day number. Effective dates, approval dates and
// in-force periods are whole days: no time of day, no time zone.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patuh {

class date {
public:
    constexpr date() = default;
    // Days since 1970-01-01 (may be negative).
    static constexpr date from_days(std::int32_t days) { date d; d.days_ = days; return d; }
    static date from_ymd(int year, unsigned month, unsigned day);
    // Parses exactly "YYYY-MM-DD" with a real calendar day; nothing else.
    static std::optional<date> parse(std::string_view text);
    static constexpr date min() { return from_days(-1'000'000); }
    static constexpr date max() { return from_days(1'000'000); }

    constexpr std::int32_t days() const { return days_; }
    int year() const;
    unsigned month() const;
    unsigned day() const;
    std::string iso() const;  // "YYYY-MM-DD"

    constexpr date operator+(std::int32_t n) const { return from_days(days_ + n); }
    // The same day n calendar months later (earlier when n < 0), on the
    // month's last day when it is shorter: 2024-08-31 + 6 months = 2025-02-28.
    date plus_months(int n) const;
    constexpr std::int32_t operator-(date other) const { return days_ - other.days_; }
    constexpr auto operator<=>(const date&) const = default;

private:
    std::int32_t days_ = 0;
};

// A closed interval of days [from, until]; `until` is date::max() when open-ended.
struct period {
    date from = date::min();
    date until = date::max();
    bool contains(date d) const { return from <= d && d <= until; }
    bool overlaps(const period& o) const { return from <= o.until && o.from <= until; }
    bool empty() const { return until < from; }
};

bool is_valid_calendar_day(int year, unsigned month, unsigned day);

}  // namespace patuh
