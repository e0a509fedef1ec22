// The finding list: findings read back as they were stored, from memory or
// from the temporary file, in report order; reports identical either way.

#include "audit_run.hpp"
#include "golden.hpp"
#include "shipped.hpp"
#include "io/report_support.hpp"

#include <array>
#include <catch2/catch.hpp>

#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/findings.hpp>
#include <patuh/rejections.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <tuple>
#include <sstream>

using namespace patuh;

namespace {

finding sample(std::uint64_t seq) {
    finding f;
    f.seq = seq;
    f.event_id = "ev-" + std::to_string(seq);
    f.source = seq % 2 == 0 ? "a.jsonl" : "";
    f.line = seq * 7;
    f.rule = static_cast<std::uint32_t>(seq % 5);
    f.sev = static_cast<severity>(seq % 5);
    f.kind = seq % 3 == 0 ? event_kind::acting : event_kind::transfer;
    // codes the reader accepts, and codes an engine fed by other means may carry
    static constexpr std::array<const char*, 8> regions = {"73.73", "11", "73.74", "99.99", "00",
                                                           "7", "73.7x", "a region named in words"};
    f.region = regions[(seq / 3) % regions.size()];
    f.level = 1;
    f.unit = seq % 6 == 0 ? no_index : 0;
    f.position = std::string(seq % 300, 'x') + " Kepala Dinas";  // some records longer than one read
    f.rank = 2;
    // names with quotes, escapes, control characters, UTF-8 and invalid UTF-8,
    // in the first eight bytes and after them
    static const char* const hostile[] = {"Asir",
                                          "A \"quoted\" \\ name",
                                          "tab\there\nline",
                                          "Ö Çelik 名",
                                          "bad \xff\xfe bytes",
                                          "\x01\x1f",
                                          "Muhammad Ridwan \"Iwan\" Alamsyah",
                                          "Andi Baso Mappaewang\\",
                                          "Siti Nurhaliza Daeng\x7f\x1f",
                                          "Abdul Rahman La Ode Ö",
                                          "Yohanes Kristianto\xc3"};
    if (seq % 3 != 0)
        f.de_facto = person{"196504121990031007", hostile[seq % std::size(hostile)] + std::string(" ") + std::to_string(seq)};
    if (seq % 5 != 0) f.de_jure = person{"196803101993031004", "Lukas"};
    f.de_facto_acting = f.de_facto && seq % 4 == 1;
    f.de_jure_acting = f.de_jure && seq % 6 == 2;
    f.opened = date::from_days(static_cast<std::int32_t>(17000 + seq % 11));
    if (seq % 2 == 1) {
        f.closed = f.opened + 30;
        f.closed_because = close_cause::approved;
        f.closed_by = "ev-closer";
    }
    f.fix.kind = remedy_kind::reinstate_or_approve;
    f.fix.reinstate = f.de_jure;
    f.fix.reinstate_acting = f.de_jure_acting;
    f.fix.never_installed = seq % 7 == 0;
    f.fix.approve = f.de_facto;
    f.fix.authority = seq % 2 == 0 ? no_index : 3;
    for (std::uint64_t i = 0; i < seq % 4; ++i) f.fix.route.push_back(static_cast<index_t>(i));
    return f;
}

bool same(const std::optional<person>& a, const std::optional<person>& b) {
    if (!a || !b) return !a && !b;
    return a->nip == b->nip && a->name == b->name;
}

bool same(const finding& a, const finding& b) {
    return a.seq == b.seq && a.event_id == b.event_id && a.source == b.source && a.line == b.line && a.rule == b.rule &&
           a.sev == b.sev && a.kind == b.kind && a.de_facto_acting == b.de_facto_acting &&
           a.de_jure_acting == b.de_jure_acting && a.region == b.region && a.level == b.level && a.unit == b.unit &&
           a.position == b.position && a.rank == b.rank && same(a.de_facto, b.de_facto) && same(a.de_jure, b.de_jure) &&
           a.opened == b.opened && a.closed == b.closed && a.closed_because == b.closed_because &&
           a.closed_by == b.closed_by && a.fix.kind == b.fix.kind && same(a.fix.reinstate, b.fix.reinstate) &&
           a.fix.reinstate_acting == b.fix.reinstate_acting && a.fix.never_installed == b.fix.never_installed && same(a.fix.approve, b.fix.approve) &&
           a.fix.authority == b.fix.authority && a.fix.route == b.fix.route;
}

}  // namespace

TEST_CASE("findings read back as stored, from memory and from the temporary file", "[findings]") {
    for (const std::size_t memory : {std::size_t{0}, std::size_t{1000}, finding_list::default_memory_bytes}) {
        INFO("memory budget " << memory);
        finding_list list(memory);
        for (std::uint64_t i = 0; i < 2000; ++i) list.push_back(sample(i));
        REQUIRE(list.size() == 2000);
        for (std::uint64_t i = 0; i < 2000; ++i) {
            const finding back = list[i];
            CHECK(same(back, sample(i)));
            CHECK(list.region(i) == back.region);
            CHECK(list.sev(i) == back.sev);
            CHECK(list.closed(i) == back.closed.has_value());
        }
        CHECK_THROWS_AS(list.at(2000), std::out_of_range);
        // A copy shares the records but not what is added later.
        finding_list copy = list;
        list.push_back(sample(5000));
        CHECK(copy.size() == 2000);
        CHECK(same(copy[1999], sample(1999)));
        CHECK(same(list[2000], sample(5000)));
    }
}

TEST_CASE("the temporary file is named for the audit, not only its findings, and removed from its folder", "[findings]") {
    // It holds findings, rejected records and timeline chunks: patuh-audit-XXXXXX.
    finding_list list(0);
    for (std::uint64_t i = 0; i < 200; ++i) list.push_back(sample(i));
    std::vector<std::string> open_files;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
        if (target.find("patuh-") != std::string::npos) open_files.push_back(target);
    }
    REQUIRE(open_files.size() == 1);
    const std::string name = open_files[0];
    INFO(name);
    CHECK(name.starts_with((std::filesystem::temp_directory_path() / "patuh-audit-").string()));
    CHECK(name.ends_with(" (deleted)"));
}

TEST_CASE("findings of many regions read back in any order through the page cache", "[findings]") {
    // Budget 0: every full page goes to the file and only a few pages read
    // back are cached, so reading across regions evicts and reads again.
    finding_list list(0);
    std::vector<finding> stored;
    for (std::uint64_t i = 0; i < 3000; ++i) {
        finding f = sample(i);
        f.region = fmt::format("{:02}.{:02}", 11 + i % 37, i % 3);
        stored.push_back(f);
        list.push_back(f);
    }
    for (const std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{101}, std::size_t{2999}}) {
        INFO("step " << step);
        finding back;
        for (std::size_t k = 0, i = 0; k < stored.size(); ++k, i = (i + step) % stored.size()) {
            list.read(i, back);
            INFO(i);
            CHECK(same(back, stored[i]));
        }
    }
    list.sort([](std::string_view region) { return static_cast<std::size_t>(region[4] - '0'); });
    for (std::size_t i = 0; i < list.size(); ++i) CHECK(list[i].region == list.region(i));
}

TEST_CASE("a remedy's people read back as they were, whether they are the post's holders or not", "[findings]") {
    const person facto{"196504121990031007", "Asir"};
    const person jure{"196803101993031004", "Lukas"};
    const person other{"197001011995031001", "Maria"};
    const person same_nip_other_name{"196803101993031004", "Lukas Enembe"};
    const person empty{"", ""};
    const std::optional<person> choices[] = {std::nullopt, facto, jure, other, same_nip_other_name, empty};
    std::vector<finding> stored;
    for (const auto& de_facto : {std::optional<person>{}, std::optional<person>{facto}})
        for (const auto& de_jure : {std::optional<person>{}, std::optional<person>{jure}, std::optional<person>{empty}})
            for (const auto& reinstate : choices)
                for (const auto& approve : choices) {
                    finding f = sample(stored.size());
                    f.de_facto = de_facto;
                    f.de_jure = de_jure;
                    f.fix.reinstate = reinstate;
                    f.fix.approve = approve;
                    stored.push_back(f);
                }
    // Texts longer than a page (a record of its own size), and empty ones.
    stored[5].event_id = std::string(70000, 'e');
    stored[5].fix.approve = person{std::string(20000, '1'), std::string(50000, 'n')};
    stored[6].event_id.clear();
    stored[6].position.clear();
    stored[6].closed_by.clear();
    stored[7].fix.route.assign(5000, 9);
    for (const std::size_t memory : {std::size_t{0}, finding_list::default_memory_bytes}) {
        INFO("memory budget " << memory);
        finding_list list(memory);
        for (const finding& f : stored) list.push_back(f);
        // Read into one finding, so that each read overwrites what the one before left.
        finding back;
        for (const std::size_t step : {std::size_t{1}, std::size_t{5}}) {
            for (std::size_t k = 0, i = 0; k < stored.size(); ++k, i = (i + step) % stored.size()) {
                list.read(i, back);
                INFO(i);
                CHECK(same(back, stored[i]));
            }
        }
    }
}

TEST_CASE("a finding read while later ones are added reads back the same after its page went to the file", "[findings]") {
    finding_list list(0);
    finding back;
    for (std::uint64_t i = 0; i < 600; ++i) {
        list.push_back(sample(i));
        // The first finding, and the one just added (its page still open).
        list.read(0, back);
        CHECK(same(back, sample(0)));
        list.read(i, back);
        INFO(i);
        CHECK(same(back, sample(i)));
    }
}

TEST_CASE("findings formatted on several threads are written in order, and an error stops the writing",
          "[findings][report]") {
    finding_list list(0);
    for (std::uint64_t i = 0; i < 3000; ++i) list.push_back(sample(i));
    const report_support::finding_format format = [](std::size_t i, const finding& f, std::string& out) {
        out += fmt::format("{} {} {} {}\n", i, f.seq, f.event_id, f.position.size());
    };
    std::string expected = "head\n";
    for (std::uint64_t i = 0; i < 3000; ++i) format(i, sample(i), expected);
    for (const unsigned threads : {1u, 2u, 4u, 16u}) {
        INFO(threads << " threads");
        std::ostringstream os;
        std::string out = "head\n";
        report_support::write_findings(os, out, list, threads, format);
        CHECK(out.empty());
        CHECK(os.str() == expected);
    }
    std::ostringstream os;
    std::string out;
    CHECK_THROWS_WITH(report_support::write_findings(os, out, list, 2,
                                                     [](std::size_t i, const finding&, std::string&) {
                                                         if (i == 2100) throw std::runtime_error("cannot format");
                                                     }),
                      "cannot format");
}

TEST_CASE("rejected records read back as stored, from memory and from the temporary file", "[findings]") {
    const auto sample_rejection = [](std::uint64_t i) {
        rejection x;
        x.source = i % 2 == 0 ? "a.jsonl" : "";
        x.line = i * 3 + 1;
        x.code = fmt::format("R01{:02}", i % 30);
        x.reason = {fmt::format("alasan {}", i), fmt::format("reason {}", i)};
        x.field = i % 3 == 0 ? "" : "nip";
        x.raw = std::string(i % 700, '{') + "\xff\n";
        x.record = i % 5 == 0 ? x.raw : "";
        return x;
    };
    for (const std::size_t memory : {std::size_t{0}, rejection_list::default_memory_bytes}) {
        INFO("memory budget " << memory);
        rejection_list list(memory);
        for (std::uint64_t i = 0; i < 3000; ++i) list.push_back(sample_rejection(i));
        REQUIRE(list.size() == 3000);
        std::uint64_t i = 0;
        for (const rejection& back : list) {
            const rejection x = sample_rejection(i++);
            INFO(i);
            CHECK((back.source == x.source && back.line == x.line && back.code == x.code && back.reason.id == x.reason.id &&
                   back.reason.en == x.reason.en && back.field == x.field && back.raw == x.raw && back.record == x.record));
        }
        CHECK(i == 3000);
        CHECK(list[2999].line == 2999 * 3 + 1);
    }
}

TEST_CASE("a long rejection list keeps where each rejection is in stored blocks: read in order, by index and through copies",
          "[findings]") {
    const auto sample_rejection = [](std::size_t i) {
        rejection x;
        x.source = "big.jsonl";
        x.line = i + 1;
        x.code = i % 2 == 0 ? "R0101" : "R0104";
        x.reason = {"baris rusak", "malformed line"};
        x.raw = fmt::format("{{\"id\": {}, {}", i, std::string(i % 40, 'x'));
        return x;
    };
    const auto same_rejection = [](const rejection& a, const rejection& b) {
        return a.source == b.source && a.line == b.line && a.code == b.code && a.reason.id == b.reason.id &&
               a.reason.en == b.reason.en && a.field == b.field && a.raw == b.raw && a.record == b.record;
    };
    // Budget 0: every full block and page goes to the temporary file.
    const std::size_t n = 12 * rejection_list::block_entries + 37;
    rejection_list list(0);
    for (std::size_t i = 0; i < n; ++i) list.push_back(sample_rejection(i));
    REQUIRE(list.size() == n);
    std::size_t i = 0;
    for (const rejection& back : list) {
        INFO(i);
        CHECK(same_rejection(back, sample_rejection(i)));
        ++i;
    }
    CHECK(i == n);
    // By index, back and forth across blocks and into the unfilled last one.
    rejection back;
    for (const std::size_t step : {std::size_t{1}, std::size_t{255}, std::size_t{257}, std::size_t{1000}, n - 1}) {
        INFO("step " << step);
        for (std::size_t k = 0, j = 0; k < n; ++k, j = (j + step) % n) {
            list.read(j, back);
            INFO(j);
            CHECK(same_rejection(back, sample_rejection(j)));
        }
    }
    CHECK_THROWS_AS(list[n], std::out_of_range);
    // A copy shares the stored rejections but not what either adds later.
    rejection_list copy = list;
    list.push_back(sample_rejection(5000));
    copy.push_back(sample_rejection(6000));
    REQUIRE(list.size() == n + 1);
    REQUIRE(copy.size() == n + 1);
    CHECK(same_rejection(list[n], sample_rejection(5000)));
    CHECK(same_rejection(copy[n], sample_rejection(6000)));
    for (const std::size_t j : {std::size_t{0}, std::size_t{300}, n - 1}) {
        INFO(j);
        CHECK(same_rejection(copy[j], sample_rejection(j)));
        CHECK(same_rejection(list[j], sample_rejection(j)));
    }
    // Filling the copy's last block stores it apart from the list's.
    for (std::size_t j = n + 1; j < 13 * rejection_list::block_entries + 1; ++j) copy.push_back(sample_rejection(j));
    CHECK(same_rejection(list[n], sample_rejection(5000)));
    CHECK(same_rejection(copy[n], sample_rejection(6000)));
    CHECK(same_rejection(copy[13 * rejection_list::block_entries], sample_rejection(13 * rejection_list::block_entries)));
    // A copy assigned over another list, and a list moved from, read as expected.
    rejection_list assigned(0);
    assigned.push_back(sample_rejection(7));
    assigned = copy;
    CHECK(assigned.size() == copy.size());
    CHECK(same_rejection(assigned[n], sample_rejection(6000)));
    rejection_list moved = std::move(assigned);
    CHECK(moved.size() == copy.size());
    CHECK(assigned.empty());
}

TEST_CASE("findings sort by region rank, then opening day, then creation order", "[findings]") {
    finding_list list(0);
    for (std::uint64_t i = 0; i < 300; ++i) list.push_back(sample(299 - i));
    const finding_list unsorted = list;
    list.sort([](std::string_view region) { return region == "73.73" ? 0u : 1u; });
    std::vector<finding> all = list.to_vector();
    REQUIRE(all.size() == 300);
    // A copy taken before keeps the order the findings were added in.
    REQUIRE(unsorted.size() == 300);
    for (std::uint64_t i = 0; i < 300; ++i) CHECK(unsorted[i].seq == 299 - i);
    for (std::size_t i = 1; i < all.size(); ++i) {
        const finding& a = all[i - 1];
        const finding& b = all[i];
        const int ra = a.region == "73.73" ? 0 : 1, rb = b.region == "73.73" ? 0 : 1;
        INFO(i);
        CHECK((ra < rb || (ra == rb && (a.opened < b.opened || (a.opened == b.opened && a.seq < b.seq)))));
    }
}

TEST_CASE("a list larger than one sorting chunk is sorted in runs and merged: each finding once, ties in the order added",
          "[findings]") {
    // Two whole runs and a part of a third; pairs of findings share all three keys.
    const std::size_t n = 2 * finding_list::sort_chunk_entries + 3 * finding_list::block_entries + 37;
    const auto key_of = [](std::size_t i) {
        const std::uint64_t seq = i / 2;
        return std::tuple{fmt::format("{:02}", 11 + (seq * 7) % 40), static_cast<std::int32_t>(17000 + (seq * 13) % 50),
                          seq};
    };
    const auto rank_of = [](std::string_view region) {
        return static_cast<std::size_t>((std::stoi(std::string(region)) * 31) % 40);
    };
    finding_list list(0);
    finding f;
    for (std::size_t i = 0; i < n; ++i) {
        const auto [region, opened, seq] = key_of(i);
        f.region = region;
        f.opened = date::from_days(opened);
        f.seq = seq;
        f.event_id = std::to_string(i);
        f.sev = static_cast<severity>(i % 5);
        if (i % 3 == 0) f.closed = f.opened + 1;
        else f.closed.reset();
        list.push_back(f);
    }
    list.sort(rank_of);
    REQUIRE(list.size() == n);
    std::vector<bool> seen(n, false);
    finding previous, back;
    for (std::size_t i = 0; i < n; ++i) {
        list.read(i, back);
        const std::size_t added = std::stoul(back.event_id);
        REQUIRE(added < n);
        CHECK_FALSE(seen[added]);
        seen[added] = true;
        // What the index says agrees with the finding it points to.
        CHECK(list.region(i) == back.region);
        CHECK(list.sev(i) == static_cast<severity>(added % 5));
        CHECK(list.closed(i) == (added % 3 == 0));
        if (i > 0) {
            const auto a = std::tuple{rank_of(previous.region), previous.opened, previous.seq};
            const auto b = std::tuple{rank_of(back.region), back.opened, back.seq};
            INFO(i);
            REQUIRE(a <= b);
            if (a == b) CHECK(std::stoul(previous.event_id) < added);
        }
        previous = back;
    }
    CHECK(std::all_of(seen.begin(), seen.end(), [](bool b) { return b; }));
    // Sorting again changes nothing.
    const std::vector<std::size_t> probes = {0, 1, n / 3, n / 3 + 1, n - 2, n - 1};
    std::vector<std::string> ids;
    for (const std::size_t i : probes) ids.push_back(list[i].event_id);
    list.sort(rank_of);
    for (std::size_t k = 0; k < probes.size(); ++k) CHECK(list[probes[k]].event_id == ids[k]);
}

TEST_CASE("a sort stores its runs and its result in the index blocks it has read, unless a copy of the list has them",
          "[findings]") {
    // Two whole runs and a part of a third.
    const std::size_t n = 2 * finding_list::sort_chunk_entries + 3 * finding_list::block_entries + 37;
    const std::uint64_t run_bytes = finding_list::sort_chunk_entries * sizeof(finding_list::entry);
    const auto region_of = [](std::size_t i) { return fmt::format("{:02}", 11 + (i * 7) % 40); };
    const auto opened_of = [](std::size_t i) { return static_cast<std::int32_t>(17000 + (i * 13) % 50); };
    const auto rank_of = [](std::string_view region) { return static_cast<std::size_t>(99 - std::stoi(std::string(region))); };
    finding_list list(0);
    finding f;
    for (std::size_t i = 0; i < n; ++i) {
        f.region = region_of(i);
        f.opened = date::from_days(opened_of(i));
        f.seq = i;
        f.event_id = std::to_string(i);
        list.push_back(f);
    }
    // The order expected: by rank, opening day, seq (here the order added).
    std::vector<std::size_t> expected(n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = i;
    std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) {
        return std::tuple{rank_of(region_of(a)), opened_of(a)} < std::tuple{rank_of(region_of(b)), opened_of(b)};
    });
    const auto check_order = [&](const finding_list& sorted) {
        REQUIRE(sorted.size() == n);
        finding back;
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) {
            sorted.read(i, back);
            if (back.event_id != std::to_string(expected[i]) || sorted.region(i) != region_of(expected[i])) ++wrong;
        }
        CHECK(wrong == 0);
    };

    SECTION("alone: the storage grows by less than one run, sorting once or twice") {
        const std::uint64_t before = list.stored_bytes();
        list.sort(rank_of);
        const std::uint64_t once = list.stored_bytes();
        INFO("stored before " << before << ", after one sort " << once << ", a run " << run_bytes);
        CHECK(once - before < run_bytes);  // without reusing blocks: the index twice more
        check_order(list);
        list.sort(rank_of);
        INFO("after a second sort " << list.stored_bytes());
        CHECK(list.stored_bytes() - before < run_bytes);
        check_order(list);
    }
    // A copy taken before the sort keeps the order added, whether it shares
    // the list's entries or, having added one since, only their stored blocks.
    const auto check_added_order = [&](const finding_list& copy) {
        REQUIRE(copy.size() >= n);
        finding back;
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) {
            copy.read(i, back);
            if (back.event_id != std::to_string(i)) ++wrong;
        }
        CHECK(wrong == 0);
    };
    SECTION("with a copy that shares the entries") {
        const finding_list shared = list;
        list.sort(rank_of);
        check_order(list);
        check_added_order(shared);
    }
    SECTION("with a copy that added a finding since") {
        finding_list added_to = list;
        f.event_id = std::to_string(n);
        added_to.push_back(f);
        list.sort(rank_of);
        check_order(list);
        check_added_order(added_to);
        REQUIRE(added_to.size() == n + 1);
        CHECK(added_to[n].event_id == std::to_string(n));
    }
}

TEST_CASE("every report is the same when the findings and timelines wait in the temporary file", "[findings][report]") {
    const auto logs = testing::example_logs();
    CHECK(logs.size() >= 5);
    for (const auto& file : logs) {
        INFO(file);
        const auto run = [&](std::size_t memory) {
            engine_options options;
            options.history = true;
            options.findings_in_memory = memory;
            // the timelines too, a chunk per view
            options.histories_in_memory = memory;
            options.history_chunk_bytes = memory == 0 ? 1 : post_histories::default_chunk_bytes;
            return testing::audit(testing::read_text(file.string()), options, "events.jsonl");
        };
        const audit_report in_memory = run(finding_list::default_memory_bytes);
        const audit_report in_file = run(0);
        REQUIRE(in_memory.result.findings.size() == in_file.result.findings.size());
        for (const lang l : {lang::en, lang::id}) {
            CHECK(render_text(in_memory, testing::shipped(), {l, false}) ==
                  render_text(in_file, testing::shipped(), {l, false}));
            std::ostringstream json_memory, json_file;
            write_json(json_memory, in_memory, testing::shipped(), l);
            write_json(json_file, in_file, testing::shipped(), l);
            CHECK(json_memory.str() == json_file.str());
            CHECK(render_jsonl(in_memory, testing::shipped(), l) == render_jsonl(in_file, testing::shipped(), l));
            CHECK(render_csv(in_memory, testing::shipped(), l) == render_csv(in_file, testing::shipped(), l));
            CHECK(render_html(in_memory, testing::shipped(), {.language = l}) == render_html(in_file, testing::shipped(), {.language = l}));
        }
    }
}

TEST_CASE("a finding is written exactly as nlohmann::json prints it, compact and indented", "[findings][report]") {
    audit_result result;
    result.as_of = date::from_days(18000);
    for (std::uint64_t i = 0; i < 60; ++i) {
        const finding f = sample(i);
        INFO(i);
        std::string compact;
        append_finding_json(compact, f, result, testing::shipped(), lang::en, -1, 0);
        const auto parsed = nlohmann::json::parse(compact);
        CHECK(compact == parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        std::string pretty;
        append_finding_json(pretty, f, result, testing::shipped(), lang::id, 2, 0);
        CHECK(pretty == nlohmann::json::parse(pretty).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        CHECK(parsed.at("event_id") == f.event_id);
        CHECK(parsed.at("source") == f.source);  // the findings alternate between two sources
        // Nested eight levels deep, every line is indented 16 spaces more.
        std::string deep, shifted;
        append_finding_json(deep, f, result, testing::shipped(), lang::id, 2, 8);
        for (const char c : pretty) shifted += c == '\n' ? std::string("\n") + std::string(16, ' ') : std::string(1, c);
        CHECK(deep == shifted);
    }
}

TEST_CASE("JSON and JSON Lines reports are the same on several threads, each finding with its own source",
          "[findings][report]") {
    audit_report report;
    report.result.as_of = date::from_days(18000);
    // Runs of three findings from one source, the empty one among them.
    static const char* const sources[] = {"a.jsonl", "", "dir/b \"quoted\".csv"};
    const auto source_of = [](std::size_t i) { return sources[(i / 3) % std::size(sources)]; };
    for (std::uint64_t i = 0; i < 1000; ++i) {
        finding f = sample(i);
        f.source = source_of(i);
        report.result.findings.push_back(f);
    }
    for (const lang l : {lang::en, lang::id}) {
        std::ostringstream json_one;
        write_json(json_one, report, testing::shipped(), l, 1);
        const std::string lines_one = render_jsonl(report, testing::shipped(), l);
        const auto parsed = nlohmann::json::parse(json_one.str());
        REQUIRE(parsed.at("findings").size() == 1000);
        std::istringstream lines(lines_one);
        std::string line;
        for (std::size_t i = 0; i < 1000; ++i) {
            INFO(i);
            CHECK(parsed.at("findings").at(i).at("source") == source_of(i));
            REQUIRE(std::getline(lines, line));
            CHECK(nlohmann::json::parse(line).at("source") == source_of(i));
        }
        for (const unsigned threads : {2u, 3u}) {
            INFO(threads << " threads");
            std::ostringstream json_many, lines_many;
            write_json(json_many, report, testing::shipped(), l, threads);
            CHECK(json_many.str() == json_one.str());
            write_jsonl(lines_many, report, testing::shipped(), l, threads);
            CHECK(lines_many.str() == lines_one);
        }
    }
}

TEST_CASE("the JSON report's remedy text is the remedy as the other reports word it", "[findings][report]") {
    audit_result result;
    result.as_of = date::from_days(18000);
    const auto as_json = [](const std::string& text) {
        return nlohmann::json::parse(nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    };
    for (std::uint64_t i = 0; i < 60; ++i) {
        finding f = sample(i);
        // A name that ends inside a UTF-8 sequence, before the wording goes on.
        if (i % 4 == 1 && f.fix.approve) f.fix.approve->name = "Ends inside a character \xe2\x82";
        for (const remedy_kind kind : {remedy_kind::reinstate_or_approve, remedy_kind::reinstate_only,
                                       remedy_kind::install_approved, remedy_kind::leave_one_post, remedy_kind::fill_post}) {
            f.fix.kind = kind;
            for (const lang l : {lang::en, lang::id}) {
                INFO(i << " " << static_cast<int>(kind) << " " << (l == lang::id ? "id" : "en"));
                std::string compact;
                append_finding_json(compact, f, result, testing::shipped(), l, -1, 0);
                const std::string wording = describe_remedy(f.fix, testing::shipped(), l);
                CHECK(nlohmann::json::parse(compact).at("remedy").at("text") == as_json(wording));
            }
        }
    }
}
