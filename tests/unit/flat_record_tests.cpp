// The flat-record decoder (CSV import) against decode_event: for records
// whose values are all texts, both accept the same records into the same
// events and reject the others with the same code, field and reason.

#include "io/flat_record.hpp"
#include "shipped.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <random>

using namespace patuh;
using patuh::testing::shipped;

namespace {

using json = nlohmann::json;

std::size_t at(csv_field f) { return static_cast<std::size_t>(f); }

// The JSON record a flat record stands for: empty texts are absent members.
json as_json(const flat_record& r) {
    json e = json::object();
    const auto put = [&](json& o, const char* key, csv_field f) {
        if (!r[at(f)].empty()) o[key] = std::string(r[at(f)]);
    };
    put(e, "id", csv_field::id);
    put(e, "kind", csv_field::kind);
    put(e, "date", csv_field::date);
    put(e, "region", csv_field::region);
    put(e, "unit", csv_field::unit);
    put(e, "position", csv_field::position);
    put(e, "rank", csv_field::rank);
    put(e, "reason", csv_field::reason);
    put(e, "note", csv_field::note);
    json who = json::object();
    put(who, "nip", csv_field::nip);
    put(who, "name", csv_field::name);
    if (!who.empty()) e["person"] = who;
    json decree = json::object();
    put(decree, "number", csv_field::decree_number);
    put(decree, "date", csv_field::decree_date);
    put(decree, "issuer", csv_field::decree_issuer);
    if (!decree.empty()) e["decree"] = decree;
    json approval = json::object();
    put(approval, "authority", csv_field::approval_authority);
    put(approval, "number", csv_field::approval_number);
    put(approval, "date", csv_field::approval_date);
    if (!approval.empty()) e["approvals"] = json::array({approval});
    return e;
}

// Values for each field, good ones and bad ones; "" is an absent member.
const std::array<std::vector<std::string>, csv_field_count> choices = {{
    {"riwayat.csv:2", "E-1", ""},
    {"appoint", "transfer", "dismiss", "acting", "inaugurate", "approve", "warn", "naik", ""},
    {"2017-08-11", "2016-02-29", "2017-02-29", "2017-13-01", ""},
    {"73.73", "73", "18.74", "99.99", "7373", "73.7", ""},
    {"Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "Sekretariat Daerah", ""},
    {"Kepala Dinas", "Kepala Seksi Data", ""},
    {"II.b", "IIb", "III.a", "IV.a", "JPT Pratama", "Z.9", ""},
    {"196001021986102473", "19600102 1986102473", "197901252005011", "1960010219860124AB", "196013021986102473",
     "196001021986132473", "196001021940102473", "196001021986102433", ""},
    {"Andi", ""},
    {"821/1", ""},
    {"2017-08-01", "2017-02-30", ""},
    {"Bupati", ""},
    {"Mendagri", "Dirjen Dukcapil", "Direktur", "Presiden", ""},
    {"800/1", ""},
    {"2017-08-01", "2017-06-31", ""},
    {"death", "retirement", "definitive", "cuti", ""},
    {"catatan", ""},
}};

}  // namespace

TEST_CASE("A flat record is decoded as its JSON record is", "[csv-import]") {
    flat_record_decoder decoder(shipped());
    event e;
    std::mt19937 random(5);
    std::size_t accepted = 0, rejected = 0;
    for (int n = 0; n < 4000; ++n) {
        flat_record r;
        // Mostly the first (good) value, so that many records are accepted.
        for (std::size_t f = 0; f < csv_field_count; ++f)
            r[f] = choices[f][std::bernoulli_distribution(0.85)(random)
                                  ? 0
                                  : std::uniform_int_distribution<std::size_t>(0, choices[f].size() - 1)(random)];
        const json record = as_json(r);
        INFO(record.dump());
        rejection expected_why, why;
        const std::optional<event> expected = decode_event(record, shipped(), expected_why);
        const bool ok = decoder.decode(r, e, why);
        REQUIRE(ok == expected.has_value());
        if (!ok) {
            ++rejected;
            CHECK(why.code == expected_why.code);
            CHECK(why.field == expected_why.field);
            CHECK(why.reason.id == expected_why.reason.id);
            CHECK(why.reason.en == expected_why.reason.en);
            continue;
        }
        ++accepted;
        CHECK(e.id == expected->id);
        CHECK(e.kind == expected->kind);
        CHECK(e.effective == expected->effective);
        CHECK(e.region == expected->region);
        CHECK(e.level == expected->level);
        CHECK(e.unit_text == expected->unit_text);
        CHECK(e.unit == expected->unit);
        CHECK(e.position == expected->position);
        CHECK(e.rank == expected->rank);
        CHECK(e.rank_text == expected->rank_text);
        CHECK(e.who.nip == expected->who.nip);
        CHECK(e.who.name == expected->who.name);
        CHECK(e.regional_decree.number == expected->regional_decree.number);
        CHECK(e.regional_decree.issued == expected->regional_decree.issued);
        CHECK(e.regional_decree.issuer == expected->regional_decree.issuer);
        REQUIRE(e.approvals.size() == expected->approvals.size());
        for (std::size_t i = 0; i < e.approvals.size(); ++i) {
            CHECK(e.approvals[i].authority == expected->approvals[i].authority);
            CHECK(e.approvals[i].authority_text == expected->approvals[i].authority_text);
            CHECK(e.approvals[i].number == expected->approvals[i].number);
            CHECK(e.approvals[i].issued == expected->approvals[i].issued);
        }
        CHECK(e.why == expected->why);
    }
    // The draw reaches both outcomes often.
    CHECK(accepted > 500);
    CHECK(rejected > 500);
}
