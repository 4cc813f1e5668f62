#include "mako/domain/edifact/contrl.hpp"

#include "envelope_writer.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "view_support.hpp"

namespace mako::edifact {
namespace {

using detail::fail;

bool valid_action(std::string_view a) { return a == kContrlAccepted || a == kContrlRejected; }

Element trimmed(Element e) {
  while (e.size() > 1 && e.back().empty()) e.pop_back();
  return e;
}

template <class Msg>
ContrlMessage read_contrl_of(const Msg& m) {
  using Seg = detail::SegmentOf<Msg>;
  detail::require_type(m, "CONTRL");
  bool supported = false;
  for (const auto& r : supported_releases("CONTRL")) supported = supported || r == m.association;
  if (!supported) detail::fail_message(m, "CONTRL release 2.0b (UNH S009 0057)", detail::quoted(m.association));
  ContrlMessage c;
  c.reference = m.reference;
  c.association = m.association;
  const auto& segs = m.segments;
  if (segs.empty() || !detail::tag_is(segs[0], "UCI"))
    detail::fail_message(m, "UCI as first segment after UNH",
                         segs.empty() ? "empty message" : "segment " + std::string(segs[0].tag));
  const Seg& uci = segs[0];
  c.interchange_reference = uci.value(0);
  c.interchange_sender =
      Party{std::string(uci.value(1, 0)), std::string(uci.value(1, 1)), std::string(uci.value(1, 2))};
  c.interchange_receiver =
      Party{std::string(uci.value(2, 0)), std::string(uci.value(2, 1)), std::string(uci.value(2, 2))};
  c.action = uci.value(3);
  if (c.interchange_reference.empty()) fail(uci, "the acknowledged interchange reference in UCI", "nothing");
  if (!valid_action(c.action)) fail(uci, "UCI action 7 (accepted) or 4 (rejected)", detail::quoted(c.action));
  if (uci.has(4) && !uci.value(4).empty()) c.error_code = uci.value(4);
  if (uci.has(5) && !uci.value(5).empty()) c.service_segment = uci.value(5);

  for (std::size_t i = 1; i < segs.size(); ++i) {
    const Seg& s = segs[i];
    if (detail::tag_is(s, "UCM")) {
      ContrlMessageResponse r{std::string(s.value(0)),    std::string(s.value(1, 0)),
                              std::string(s.value(1, 1)), std::string(s.value(1, 2)),
                              std::string(s.value(1, 3)), std::string(s.value(1, 4)),
                              std::string(s.value(2)),    std::string(s.value(3)),
                              std::string(s.value(4)),    {}};
      if (!valid_action(r.action)) fail(s, "UCM action 7 (accepted) or 4 (rejected)", detail::quoted(r.action));
      c.messages.push_back(std::move(r));
    } else if (detail::tag_is(s, "UCS")) {
      if (c.messages.empty()) fail(s, "UCM before UCS", "UCS without UCM");
      c.messages.back().segment_errors.push_back(
          ContrlSegmentError{std::string(s.value(0)), std::string(s.value(1)), {}});
    } else if (detail::tag_is(s, "UCD")) {
      if (c.messages.empty() || c.messages.back().segment_errors.empty()) fail(s, "UCS before UCD", "UCD without UCS");
      c.messages.back().segment_errors.back().element_errors.push_back(
          ContrlElementError{std::string(s.value(0)), std::string(s.value(1, 0)), std::string(s.value(1, 1))});
    } else {
      fail(s, "UCM, UCS or UCD", "segment " + std::string(s.tag));
    }
  }
  if (!c.accepted()) {
    bool any_code = c.error_code.has_value();
    for (const auto& r : c.messages) any_code = any_code || !r.error_code.empty() || !r.segment_errors.empty();
    if (!any_code) fail(uci, "an error code (UCI 0085, UCM, UCS or UCD) in a rejecting CONTRL", "none");
  }
  return c;
}

}  // namespace

ContrlMessage read_contrl(const Message& m) { return read_contrl_of(m); }
ContrlMessage read_contrl(const MessageView& m) { return read_contrl_of(m); }

Message build_contrl(const ContrlMessage& c) {
  Message m;
  m.reference = c.reference;
  m.type = "CONTRL";
  m.version = "D";
  m.release = "3";
  m.agency = "UN";
  m.association = c.association;
  auto party = [](const Party& p) {
    Element e{p.id, p.qualifier};
    if (!p.routing.empty()) e.push_back(p.routing);
    return e;
  };
  auto& s = m.segments;
  Segment uci("UCI", {Element{c.interchange_reference}, party(c.interchange_sender), party(c.interchange_receiver),
                      Element{c.action}});
  if (c.error_code || c.service_segment) uci.elements.push_back(Element{c.error_code.value_or("")});
  if (c.service_segment) uci.elements.push_back(Element{*c.service_segment});
  s.push_back(std::move(uci));
  for (const auto& r : c.messages) {
    Segment ucm("UCM",
                {Element{r.message_reference},
                 trimmed(Element{r.message_type, r.version, r.release, r.agency, r.association}), Element{r.action}});
    if (!r.error_code.empty() || !r.service_segment.empty()) ucm.elements.push_back(Element{r.error_code});
    if (!r.service_segment.empty()) ucm.elements.push_back(Element{r.service_segment});
    s.push_back(std::move(ucm));
    for (const auto& se : r.segment_errors) {
      Segment ucs("UCS", {Element{se.segment_position}});
      if (!se.error_code.empty()) ucs.elements.push_back(Element{se.error_code});
      s.push_back(std::move(ucs));
      for (const auto& de : se.element_errors) {
        Element pos{de.element_position};
        if (!de.component_position.empty()) pos.push_back(de.component_position);
        s.emplace_back("UCD", std::vector<Element>{Element{de.error_code}, std::move(pos)});
      }
    }
  }
  return m;
}

// Mirrors build_contrl segment by segment; keep them in step.
std::string write_contrl_interchange(const ContrlMessage& c, const MarketPartner& sender, const MarketPartner& receiver,
                                     std::string_view interchange_reference, std::chrono::sys_seconds prepared_at) {
  detail::InterchangeText text(256);
  SegmentWriter& w = text.w;
  detail::write_unb(w, sender, receiver, interchange_reference, prepared_at);
  detail::write_unh(w, c.reference, "CONTRL", "D", "3", "UN", c.association);
  auto party = [&w](const Party& p) {
    w.element(p.id).component(p.qualifier);
    if (!p.routing.empty()) w.component(p.routing);
  };
  std::size_t body = 1;
  w.begin("UCI").element(c.interchange_reference);
  party(c.interchange_sender);
  party(c.interchange_receiver);
  w.element(c.action);
  if (c.error_code || c.service_segment) w.element(c.error_code.value_or(""));
  if (c.service_segment) w.element(*c.service_segment);
  w.end();
  for (const auto& r : c.messages) {
    // S009 with trailing empty components dropped (the first one always stays), as trimmed().
    const std::string_view s009[] = {r.message_type, r.version, r.release, r.agency, r.association};
    std::size_t n = 5;
    while (n > 1 && s009[n - 1].empty()) --n;
    w.begin("UCM").element(r.message_reference).element(s009[0]);
    for (std::size_t i = 1; i < n; ++i) w.component(s009[i]);
    w.element(r.action);
    if (!r.error_code.empty() || !r.service_segment.empty()) w.element(r.error_code);
    if (!r.service_segment.empty()) w.element(r.service_segment);
    w.end();
    ++body;
    for (const auto& se : r.segment_errors) {
      w.begin("UCS").element(se.segment_position);
      if (!se.error_code.empty()) w.element(se.error_code);
      w.end();
      ++body;
      for (const auto& de : se.element_errors) {
        w.begin("UCD").element(de.error_code).element(de.element_position);
        if (!de.component_position.empty()) w.component(de.component_position);
        w.end();
        ++body;
      }
    }
  }
  detail::write_trailer(w, body, c.reference, interchange_reference);
  return std::move(text.out);
}

}  // namespace mako::edifact
