// Every GPKE event type's JSON, written and read from its one list of fields (json_fields): a
// sample with every field set survives to_json, to_json_text and from_json unchanged; a field left
// out is either optional (read back absent) or refused by name.
#include <catch2/catch.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gpke_test_support.hpp"
#include "mako/domain/gpke/anfrage.hpp"
#include "mako/domain/gpke/beantwortung.hpp"
#include "mako/domain/gpke/lfn_lieferbeginn.hpp"
#include "mako/domain/gpke/nb_lieferbeginn.hpp"

using namespace gpke_test;
using mako::gpke::Anfrage;
using mako::gpke::Beantwortung;
using mako::gpke::LfnLieferbeginn;
using mako::gpke::NbLieferbeginn;

namespace {

Json vorgang() { return Json(utilmd_request("55001", kLfn, kNb, make_date(2026, 3, 1), "E03", "TX-1")); }

Json event(const char* type, Json data) { return Json{{"type", type}, {"data", std::move(data)}}; }

// The event types each sample stands for, so a type added to a family without a sample fails.
template <class Event>
std::set<std::string> type_names() {
  std::set<std::string> names;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (names.insert(std::variant_alternative_t<I, decltype(Event{}.value)>::kType), ...);
  }(std::make_index_sequence<std::variant_size_v<decltype(Event{}.value)>>{});
  return names;
}

template <class Event>
Json written(const Event& e) {
  Json j;
  to_json(j, e);
  std::string text;
  to_json_text(text, e);
  CHECK(Json::parse(text) == j);  // both writers say the same, in the same order
  return j;
}

template <class Event>
void check_family(const std::vector<Json>& samples) {
  std::set<std::string> covered;
  for (const Json& sample : samples) {
    const std::string type = sample.at("type").get<std::string>();
    INFO(type);
    covered.insert(type);
    REQUIRE(written(sample.get<Event>()) == sample);
    // Each field left out: an optional one reads back absent, a required one is refused by name.
    for (const auto& [field, value] : sample.at("data").items()) {
      INFO("without " << field);
      Json partial = sample;
      partial["data"].erase(field);
      std::optional<Event> read;
      try {
        read = partial.get<Event>();
      } catch (const Json::exception& e) {
        CHECK_THAT(e.what(), Catch::Contains("'" + field + "'"));
      }
      if (read) CHECK(written(*read) == partial);
    }
  }
  CHECK(covered == type_names<Event>());
}

Json message_sent() {
  return event("MessageSent", {{"step", "answer"},
                               {"pid", "55002"},
                               {"recipient", kLfn},
                               {"transaction_reference", "TX-1"},
                               {"due", "2026-02-03T10:00:00Z"},
                               {"sent_at", "2026-02-02T09:00:00Z"},
                               {"met", false}});
}
Json answer_deadline_missed() {
  return event("AnswerDeadlineMissed",
               {{"deadline", "answer"}, {"due", "2026-02-03T10:00:00Z"}, {"at", "2026-02-03T10:00:01Z"}});
}

}  // namespace

TEST_CASE("Anfrage events: JSON from one list of fields, every field read back", "[gpke][json]") {
  check_family<Anfrage::Event>({
      event("RequestSent",
            {{"request", vorgang()}, {"sent_at", "2026-02-02T09:00:00Z"}, {"answer_due", "2026-02-03T10:00:00Z"}}),
      event("AnswerReceived", {{"pid", "55002"},
                               {"transaction_reference", "TX-1"},
                               {"accepted", true},
                               {"answer_code", "E15"},
                               {"received_at", "2026-02-02T11:00:00Z"},
                               {"in_time", false}}),
      event("LateAnswerIgnored", {{"pid", "55003"},
                                  {"transaction_reference", "TX-1"},
                                  {"received_at", "2026-02-04T11:00:00Z"},
                                  {"due", "2026-02-03T10:00:00Z"}}),
      event("SilenceCountedAsConsent", {{"due", "2026-02-03T10:00:00Z"}, {"at", "2026-02-03T10:00:05Z"}}),
      message_sent(),
      answer_deadline_missed(),
  });
}

TEST_CASE("Beantwortung events: JSON from one list of fields, every field read back", "[gpke][json]") {
  check_family<Beantwortung::Event>({
      event("RequestReceived",
            {{"request", vorgang()}, {"received_at", "2026-02-02T09:00:00Z"}, {"answer_due", "2026-02-03T10:00:00Z"}}),
      event("Answered", {{"pid", "55003"},
                         {"accepted", false},
                         {"answer_code", "A01"},
                         {"decided_at", "2026-02-02T12:00:00Z"},
                         {"in_time", false}}),
      event("FollowUpReceived",
            {{"pid", "55004"}, {"transaction_reference", "TX-2"}, {"received_at", "2026-02-05T08:00:00Z"}}),
      message_sent(),
      answer_deadline_missed(),
  });
}

TEST_CASE("LFN Lieferbeginn events: JSON from one list of fields, every field read back", "[gpke][json]") {
  check_family<LfnLieferbeginn::Event>({
      event("AnmeldungSent", {{"anmeldung", vorgang()},
                              {"sent_at", "2026-02-02T09:00:00Z"},
                              {"latest_uebertragungstag", "2026-02-20"},
                              {"answer_due", "2026-02-03T10:00:00Z"},
                              {"lead_time_missed", true}}),
      event("ExistingAssignmentInformed",
            {{"transaction_reference", "TX-1"}, {"received_at", "2026-02-02T10:00:00Z"}, {"existing_supplier", kLfa}}),
      event("NbConfirmed",
            {{"transaction_reference", "TX-1"}, {"received_at", "2026-02-02T10:00:00Z"}, {"in_time", false}}),
      event("NbRejected", {{"transaction_reference", "TX-1"},
                           {"answer_code", "A06"},
                           {"received_at", "2026-02-02T10:00:00Z"},
                           {"in_time", false}}),
      message_sent(),
      answer_deadline_missed(),
  });
}

TEST_CASE("NB Lieferbeginn events: JSON from one list of fields, every field read back", "[gpke][json]") {
  check_family<NbLieferbeginn::Event>({
      event("AnmeldungReceived", {{"anmeldung", vorgang()},
                                  {"received_at", "2026-02-02T09:00:00Z"},
                                  {"latest_uebertragungstag", "2026-02-20"},
                                  {"stammdaten",
                                   {{"assigned_lfa", kLfa},
                                    {"pending_anmeldung_start", "2026-03-01"},
                                    {"precondition_failure", {{"text", "MaLo unknown"}, {"answer_code", "A04"}}}}}}),
      event("AnmeldungRejected", {{"reason", "malo_unknown"},
                                  {"answer_code", "A04"},
                                  {"text", "MaLo unknown"},
                                  {"pending_start", "2026-03-01"},
                                  {"decided_at", "2026-02-02T09:30:00Z"}}),
      event("BeendigungAngefragt",
            {{"lfa", kLfa}, {"transaction_reference", "TX-9"}, {"window_due", "2026-02-03T08:00:00Z"}}),
      event("LfaAnswerReceived", {{"pid", "55012"},
                                  {"transaction_reference", "TX-9"},
                                  {"answer_code", "A02"},
                                  {"received_at", "2026-02-02T15:00:00Z"}}),
      event("LateLfaAnswerIgnored", {{"pid", "55011"},
                                     {"transaction_reference", "TX-9"},
                                     {"received_at", "2026-02-04T15:00:00Z"},
                                     {"window_due", "2026-02-03T08:00:00Z"}}),
      event("LfaRejectionDisregarded", {{"answer_code", "A99"}}),
      event("LfaAnswerWindowClosed",
            {{"due", "2026-02-03T08:00:00Z"}, {"at", "2026-02-03T08:00:02Z"}, {"outcome", "silence_consent"}}),
      event("AnmeldungConfirmed",
            {{"decided_at", "2026-02-03T08:00:02Z"}, {"basis", "lfa_consent"}, {"ended_lfa", kLfa}}),
      message_sent(),
      answer_deadline_missed(),
  });
}

TEST_CASE("a GPKE event field of the wrong type is refused, naming the field", "[gpke][json]") {
  Json bad = event("NbConfirmed", {{"transaction_reference", "TX-1"}, {"received_at", 17}, {"in_time", true}});
  CHECK_THROWS_AS(bad.get<LfnLieferbeginn::Event>(), Json::exception);
  bad = event("NbConfirmed", {{"transaction_reference", "TX-1"}, {"in_time", true}});
  CHECK_THROWS_WITH(bad.get<LfnLieferbeginn::Event>(), Catch::Contains("received_at"));
}
