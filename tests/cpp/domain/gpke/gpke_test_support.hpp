#pragma once
// Helpers for the GPKE workflow tests: instants in Berlin local time, the corpus market partners,
// a pure harness that folds a workflow's own events (and checks their JSON round trip), and the
// EDIFACT round trip of an outbound payload.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mako/core/workflow_output.hpp"
#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/writer.hpp"
#include "mako/domain/gpke/outbound_utilmd.hpp"
#include "mako/domain/gpke/utilmd_vorgang.hpp"

namespace gpke_test {

using mako::Json;
using mako::calendar::Instant;
using mako::calendar::make_date;

inline const std::string kNb = mako::edifact::corpus::kNb;
inline const std::string kLfn = mako::edifact::corpus::kLfn;
inline const std::string kLfa = mako::edifact::corpus::kLfa;
inline const std::string kMalo = mako::edifact::corpus::kMaloA;

inline Instant utc(const char* text) { return mako::calendar::parse_utc(text); }
inline std::string iso(Instant t) { return mako::calendar::format_utc(t); }
// hh:mm Berlin local time on y-m-d.
inline Instant berlin(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return mako::calendar::berlin_time_on(make_date(y, m, d), hour, minute);
}

// A UTILMD transaction `pid` about kMalo from `from` to `to`, starting on `start`.
inline mako::gpke::UtilmdVorgang utilmd_request(const std::string& pid, const std::string& from, const std::string& to,
                                                mako::calendar::Date start, std::string reason, std::string ref) {
  mako::gpke::UtilmdVorgang v;
  v.pid = pid;
  v.transaction_reference = std::move(ref);
  v.malo = kMalo;
  v.start = start;
  v.transaction_reason = std::move(reason);
  v.sender = from;
  v.receiver = to;
  return v;
}

// The customer the AHB makes a 55001 carry (NAD+Z09 / NAD+Z04).
inline mako::edifact::UtilmdParty customer() {
  return mako::edifact::UtilmdParty{"Erika Müller", false, "Hauptstraße 7", "Berlin", "10115", "DE"};
}

// StartSwitch with the customer data the AHB asks for.
template <class StartSwitch>
StartSwitch with_customer(StartSwitch s) {
  s.customer = customer();
  return s;
}

inline mako::gpke::UtilmdVorgang anmeldung_55001(mako::calendar::Date start, std::string reason = "E03",
                                                 std::string ref = "ANM0001") {
  return utilmd_request("55001", kLfn, kNb, start, std::move(reason), std::move(ref));
}

template <class W>
struct Harness {
  using State = typename W::State;
  using Event = typename W::Event;
  using Command = typename W::Command;
  W workflow{};
  State state{};
  std::vector<Event> history;

  mako::WorkflowOutput<Event> run(const Command& c) {
    auto out = workflow.handle(state, c);
    for (const auto& e : out.events) {
      const Json j = Json(e);
      CHECK(Json(j.template get<Event>()) == j);  // events survive storage
      std::string text = "prefix|";
      to_json_text(text, e);
      CHECK(text == "prefix|" + j.dump());  // the text stores write without building the JSON
      workflow.apply(state, e);
      history.push_back(e);
    }
    const Json s = Json(state);
    CHECK(Json(s.template get<State>()) == s);  // and so does the state (snapshots)
    return out;
  }
};

template <class Event>
std::vector<std::string> types_of(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.emplace_back(e.event_type());
  return out;
}

template <class Out>
std::vector<std::string> sent_pids(const Out& out) {
  std::vector<std::string> pids;
  for (const auto& m : out.messages) pids.push_back(m.payload.at("pid").template get<std::string>());
  return pids;
}

template <class Out>
const mako::OutboundMessage& message(const Out& out, const std::string& pid) {
  for (const auto& m : out.messages)
    if (m.payload.at("pid") == pid) return m;
  FAIL("no outbound message with PID " << pid);
  throw;
}

template <class Out, class T>
const T* find_event(const Out& out) {
  for (const auto& e : out.events)
    if (auto* p = e.template get_if<T>()) return p;
  return nullptr;
}

// payload -> interchange -> bytes -> parse -> read_utilmd.
inline mako::edifact::UtilmdMessage wire_round_trip(const Json& payload) {
  auto ic = mako::gpke::render_utilmd_interchange(payload, "IC1", "M1");
  const std::string bytes = mako::edifact::write(ic);
  // the outbox transport's direct renderer writes the same bytes
  CHECK(mako::gpke::render_utilmd_bytes(payload.get<mako::gpke::OutboundUtilmd>(), "IC1", "M1") == bytes);
  auto parsed = mako::edifact::parse(bytes);
  REQUIRE(parsed.messages.size() == 1);
  return mako::edifact::read_utilmd(parsed.messages[0]);
}

}  // namespace gpke_test
