// Post timelines kept compact until a report reads them.
#include <patuh/engine.hpp>

#include <functional>
#include <stdexcept>

namespace patuh {

namespace {

constexpr char separator = '\x1f';

std::size_t hash_of(std::string_view nip, std::string_view name) {
    const std::hash<std::string_view> h;
    return h(nip) * 31 + h(name);
}


}  // namespace

person post_histories::person_at(std::uint32_t i) const {
    const std::string_view text = text_of(i);
    const std::size_t cut = text.find(separator);
    return person{std::string(text.substr(0, cut)), std::string(text.substr(cut + 1))};
}

bool post_histories::names(std::uint32_t i, const person& p) const {
    if (i == no_person || i + 1 >= starts_.size()) return false;
    const std::string_view text = text_of(i);
    return text.size() == p.nip.size() + 1 + p.name.size() && text.substr(0, p.nip.size()) == p.nip &&
           text[p.nip.size()] == separator && text.substr(p.nip.size() + 1) == p.name;
}

std::uint32_t post_histories::intern(const person& p) {
    const std::size_t count = starts_.size() - 1;
    if (count >= no_person - 1) throw std::length_error("too many people in the post timelines");
    if (2 * (count + 1) > slots_.size()) {
        std::vector<std::uint32_t> grown(std::max<std::size_t>(1024, 2 * slots_.size()), 0);
        const std::size_t mask = grown.size() - 1;
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::string_view text = text_of(i);
            const std::size_t cut = text.find(separator);
            std::size_t at = hash_of(text.substr(0, cut), text.substr(cut + 1)) & mask;
            while (grown[at] != 0) at = (at + 1) & mask;
            grown[at] = i + 1;
        }
        slots_ = std::move(grown);
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = hash_of(p.nip, p.name) & mask;; at = (at + 1) & mask) {
        const std::uint32_t slot = slots_[at];
        if (slot == 0) {
            slots_[at] = static_cast<std::uint32_t>(count + 1);
            people_text_.append(p.nip).append(1, separator).append(p.name);
            starts_.push_back(people_text_.size());
            return static_cast<std::uint32_t>(count);
        }
        if (names(slot - 1, p)) return slot - 1;
    }
}

void post_histories::add(std::string region, index_t unit, std::string position, const std::vector<view>& views) {
    if (!slots_.empty()) std::vector<std::uint32_t>().swap(slots_);
    const std::size_t first = views_.size();
    views_.insert(views_.end(), views.begin(), views.end());
    posts_.push_back({std::move(region), unit, std::move(position), first, views_.size()});
}

post_history post_histories::operator[](std::size_t i) const {
    const entry& e = posts_[i];
    post_history out{e.region, e.unit, e.position, {}};
    out.changes.reserve(e.last - e.first);
    // A holder as of a change keeps the day they began when the same person
    // held on, as acting or not as before (the same index: the same person).
    const auto holder_at = [&](std::uint32_t who, bool acting, date on, std::uint32_t who_before,
                               const std::optional<holder>& before) -> std::optional<holder> {
        if (who == no_person) return std::nullopt;
        if (before && who == who_before && before->acting == acting) return before;
        return holder{person_at(who), on, acting};
    };
    const view* last = nullptr;
    for (std::size_t k = e.first; k < e.last; ++k) {
        const view& v = views_[k];
        const view_change* before = out.changes.empty() ? nullptr : &out.changes.back();
        view_change c;
        c.on = v.on;
        c.facto = holder_at(v.facto, v.flags & view::facto_acting, v.on, last ? last->facto : no_person,
                            before ? before->facto : std::nullopt);
        c.jure = holder_at(v.jure, v.flags & view::jure_acting, v.on, last ? last->jure : no_person,
                           before ? before->jure : std::nullopt);
        c.jure_known = (v.flags & view::jure_known) != 0;
        out.changes.push_back(std::move(c));
        last = &v;
    }
    return out;
}

}  // namespace patuh
