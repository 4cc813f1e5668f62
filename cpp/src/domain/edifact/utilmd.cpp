#include "mako/domain/edifact/utilmd.hpp"

#include "envelope_writer.hpp"
#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "mako/domain/edifact/pid.hpp"
#include "mako/domain/edifact/writer.hpp"
#include "view_support.hpp"

namespace mako::edifact {
namespace {

using detail::fail;
using detail::quoted;

// A PID-shaped value of a UTILMD family (55 Strom / 44 Gas) in BGM means the sender put the
// PID into the wrong segment (it belongs in RFF+Z13 of each transaction).
bool is_utilmd_pid(std::string_view v) {
  if (!looks_like_pid(v)) return false;
  const auto* f = format_of_pid(v);
  return f && f->format == "UTILMD";
}

template <class Seg>
void check_pid(const Seg& rff) {
  const std::string_view pid = rff.value(0, 1);
  if (find_utilmd_strom_pid(pid)) return;
  std::string found = "PID " + quoted(pid);
  if (const auto* f = format_of_pid(pid))
    found += " (a " + f->format + (f->note.empty() ? "" : " " + f->note) + " PID)";
  else if (!looks_like_pid(pid)) found += " (not a 5-digit PID)";
  fail(rff, "a known UTILMD Strom PID (55xxx of the GPKE tables) in RFF+Z13", found);
}

template <class Msg>
void check_release(const Msg& m) {
  for (const auto& row : release_table())
    if (row.message_type == "UTILMD" && row.release == m.association) return;
  std::string supported;
  for (const auto& r : supported_releases("UTILMD")) supported += (supported.empty() ? "" : " or ") + r;
  detail::fail_message(m, "a supported UTILMD Strom release (" + supported + ") in UNH",
                       "release " + quoted(m.association));
}

template <class Seg>
UtilmdParty party_of(const Seg& nad) {
  UtilmdParty p;
  p.name = nad.value(3, 0);
  p.company = nad.value(3, 5) == "Z02";
  p.street = nad.value(4, 0);
  p.city = nad.value(5, 0);
  p.postcode = nad.value(7, 0);
  p.country = nad.value(8, 0);
  return p;
}

template <class Seg>
std::string key_of(const Seg& s) {
  std::string k(s.tag);
  const std::string_view q = s.value(0);
  if (!q.empty()) k.append("+").append(q);
  return k;
}

template <class Msg>
UtilmdMessage read_utilmd_of(const Msg& m) {
  using Seg = detail::SegmentOf<Msg>;
  detail::require_type(m, "UTILMD");
  check_release(m);
  UtilmdMessage u;
  u.reference = m.reference;
  u.association = m.association;
  const auto& segs = m.segments;
  if (segs.empty() || !detail::tag_is(segs[0], "BGM"))
    detail::fail_message(m, "BGM as first segment after UNH",
                         segs.empty() ? "empty message" : "segment " + std::string(segs[0].tag));
  const Seg& bgm = segs[0];
  for (std::size_t e = 0; e < bgm.element_count(); ++e)
    for (std::size_t k = 0; k < bgm.component_count(e); ++k) {
      const std::string_view c = bgm.value(e, k);
      if (is_utilmd_pid(c))
        fail(bgm, "no PID in BGM (the PID belongs in RFF+Z13 of each transaction)",
             "PID " + quoted(c) + " in BGM element " + std::to_string(e + 1));
    }
  u.document_code = bgm.value(0);
  u.document_number = bgm.value(1);

  bool have_date = false, have_ms = false, have_mr = false;
  UtilmdTransaction* tx = nullptr;
  bool tx_has_pid = false;
  const Seg* tx_ide = nullptr;
  std::string_view seq;  // qualifier of the current SG8 (SEQ), empty outside one
  auto close_tx = [&] {
    if (tx && !tx_has_pid) fail(*tx_ide, "RFF+Z13 with the PID in transaction " + quoted(tx->reference), "no RFF+Z13");
  };
  for (std::size_t i = 1; i < segs.size(); ++i) {
    const Seg& s = segs[i];
    if (detail::tag_is(s, "IDE")) {
      if (!have_date) detail::fail_message(m, "DTM+137 message date before the first IDE", "none");
      if (!have_ms || !have_mr) detail::fail_message(m, "NAD+MS and NAD+MR before the first IDE", "missing");
      if (s.value(0) != "24") fail(s, "IDE+24 (transaction)", "IDE+" + std::string(s.value(0)));
      if (s.value(1).empty()) fail(s, "Vorgangsnummer in IDE+24", "nothing");
      close_tx();
      tx = &u.transactions.emplace_back();
      tx->reference = s.value(1);
      tx_has_pid = false;
      tx_ide = &s;
      seq = {};
      continue;
    }
    if (!tx) {  // message level
      if (s.is("DTM", "137")) {
        u.message_date = detail::read_dtm(s);
        have_date = true;
      } else if (s.is("NAD", "MS")) {
        u.sender = detail::nad_of(s);
        have_ms = true;
      } else if (s.is("NAD", "MR")) {
        u.receiver = detail::nad_of(s);
        have_mr = true;
      } else if (s.is("RFF", "Z13")) {
        fail(s, "the PID (RFF+Z13) inside a transaction, after IDE+24", "RFF+Z13 at message level");
      }
      continue;
    }
    if (detail::tag_is(s, "SEQ")) {
      seq = s.value(0);
      if (seq == "Z98") tx->malo_info = true;
      else if (seq != "Z79" && seq != "ZH0" && seq != "Z01" && seq != "Z75") tx->other_segments.push_back(key_of(s));
      continue;
    }
    if (!seq.empty() && (detail::tag_is(s, "PIA") || detail::tag_is(s, "CCI") || detail::tag_is(s, "CAV") ||
                         detail::tag_is(s, "QTY"))) {
      if (seq == "Z79" && s.is("PIA", "5")) tx->product_code = std::string(s.value(1, 0));
      else if (seq == "Z01" && s.is("QTY", "Z09")) tx->annual_consumption_kwh = std::string(s.value(0, 1));
      else if (seq == "Z01" && detail::tag_is(s, "CCI")) tx->household = s.value(2) == "Z15";
      else if (seq == "Z75" && s.is("CCI", "Z61")) tx->enfg = std::string(s.value(2));
      continue;  // the rest of a known SG8 (SG10 CCI/CAV) follows from the fields above
    }
    if (detail::tag_is(s, "NAD")) seq = {};
    if (s.is("DTM", "92")) {
      tx->start = detail::read_dtm(s);
    } else if (s.is("DTM", "93")) {
      tx->end = detail::read_dtm(s);
    } else if (s.is("DTM", "471")) {
      tx->end_next_possible = detail::read_dtm(s);
    } else if (s.is("DTM", "154")) {
      tx->request_received_on = std::chrono::floor<std::chrono::days>(detail::read_dtm(s));
    } else if (s.is("DTM", "Z07")) {
      tx->pending_start = detail::read_dtm(s);
    } else if (s.is("DTM", "Z08")) {
      tx->next_processing = detail::read_dtm(s);
    } else if (s.is("DTM", "206")) {
      tx->device_removal = detail::read_dtm(s);
    } else if (s.is("STS", "7")) {
      tx->reason = s.value(2);
      tx->reason_supplement = s.value(3);
    } else if (s.is("STS", "E01")) {
      tx->answer_code = s.value(2);
      tx->answer_code_list = s.value(2, 1);
    } else if (s.is("STS", "Z35")) {
      tx->third_party_answer_code = s.value(2);
      tx->third_party_answer_code_list = s.value(2, 1);
    } else if (s.is("FTX", "ACB")) {
      std::string text;
      for (std::size_t k = 0; k < s.component_count(3); ++k) text += s.value(3, k);
      tx->remark = std::move(text);
    } else if (s.is("LOC", "Z16")) {
      tx->malo_id = s.value(1);
    } else if (s.is("RFF", "Z13")) {
      if (tx_has_pid) fail(s, "one RFF+Z13 per transaction", "a second PID " + quoted(s.value(0, 1)));
      check_pid(s);
      tx->pid = s.value(0, 1);
      tx_has_pid = true;
    } else if (s.is("RFF", "TN")) {
      tx->referenced_transaction = s.value(0, 1);
    } else if (s.is("RFF", "Z60")) {
      tx->planned_product_package = s.value(0, 1);
    } else if (s.is("NAD", "Z09")) {
      tx->customer = party_of(s);
    } else if (s.is("NAD", "Z04")) {
      tx->correspondence = party_of(s);
    } else if (s.is("NAD", "VY")) {
      tx->other_party = detail::nad_of(s);
    } else if (detail::tag_is(s, "BGM")) {
      fail(s, "one BGM at the start of the message", "another BGM");
    } else {
      tx->other_segments.push_back(key_of(s));
    }
  }
  if (!have_date) detail::fail_message(m, "DTM+137 message date", "none");
  if (!have_ms || !have_mr) detail::fail_message(m, "NAD+MS and NAD+MR", "missing");
  if (!tx) detail::fail_message(m, "at least one transaction (IDE+24)", "none");
  close_tx();
  return u;
}

// Builds Segment objects through the SegmentWriter call shape, so build_utilmd and
// write_utilmd_interchange share one emitter (emit_body) and cannot drift apart.
struct SegmentSink {
  std::vector<Segment>& out;
  SegmentSink& begin(std::string_view tag) {
    out.emplace_back(std::string(tag), std::vector<Element>{});
    return *this;
  }
  SegmentSink& element(std::string_view first) {
    out.back().elements.push_back(Element{std::string(first)});
    return *this;
  }
  SegmentSink& component(std::string_view value) {
    out.back().elements.back().emplace_back(value);
    return *this;
  }
  void end() {}
};

// SegmentWriter that counts the segments it ends (UNT).
struct CountingWriter {
  SegmentWriter& w;
  std::size_t count = 0;
  CountingWriter& begin(std::string_view tag) {
    w.begin(tag);
    return *this;
  }
  CountingWriter& element(std::string_view first) {
    w.element(first);
    return *this;
  }
  CountingWriter& component(std::string_view value) {
    w.component(value);
    return *this;
  }
  void end() {
    w.end();
    ++count;
  }
};

template <class W>
void dtm_303(W& w, std::string_view qualifier, std::chrono::sys_seconds instant) {
  w.begin("DTM").element(qualifier).component(format_dtm_303(instant)).component(kDtmFormat303).end();
}

template <class W>
void nad_partner(W& w, std::string_view qualifier, const MarketPartner& p) {
  w.begin("NAD").element(qualifier).element(p.id).component("").component(p.code_list).end();
}

template <class W>
void nad_party(W& w, std::string_view qualifier, const UtilmdParty& p) {
  const bool with_address = !p.street.empty() || !p.city.empty() || !p.postcode.empty() || !p.country.empty();
  w.begin("NAD").element(qualifier).element("").element("").element(p.name);
  w.component("").component("").component("").component("").component(p.company ? "Z02" : "Z01");
  if (with_address) w.element(p.street).element(p.city).element("").element(p.postcode).element(p.country);
  w.end();
}

template <class W>
void sts(W& w, std::string_view qualifier, std::string_view code, std::string_view code_list) {
  w.begin("STS").element(qualifier).element("").element(code);
  if (!code_list.empty()) w.component(code_list);
  w.end();
}

// FTX C108: up to five components of at most 512 characters each.
template <class W>
void ftx(W& w, std::string_view text) {
  w.begin("FTX").element("ACB").element("").element("").element(text.substr(0, 512));
  for (std::size_t at = 512; at < text.size() && at < 5 * 512; at += 512) w.component(text.substr(at, 512));
  w.end();
}

template <class W>
void emit_transaction(W& w, const UtilmdTransaction& t) {
  w.begin("IDE").element("24").element(t.reference).end();
  if (t.start) dtm_303(w, "92", *t.start);
  if (t.end) dtm_303(w, "93", *t.end);
  if (t.end_next_possible) dtm_303(w, "471", *t.end_next_possible);
  if (t.request_received_on)
    w.begin("DTM").element("154").component(format_dtm_102(*t.request_received_on)).component(kDtmFormat102).end();
  if (t.pending_start) dtm_303(w, "Z07", *t.pending_start);
  if (t.next_processing) dtm_303(w, "Z08", *t.next_processing);
  if (t.device_removal) dtm_303(w, "206", *t.device_removal);
  if (!t.reason.empty() || !t.reason_supplement.empty()) {
    w.begin("STS").element("7").element("").element(t.reason);
    if (!t.reason_supplement.empty()) w.element(t.reason_supplement);
    w.end();
  }
  if (t.answer_code) sts(w, "E01", *t.answer_code, t.answer_code_list);
  if (t.third_party_answer_code) sts(w, "Z35", *t.third_party_answer_code, t.third_party_answer_code_list);
  if (t.remark) ftx(w, *t.remark);
  if (!t.malo_id.empty()) w.begin("LOC").element("Z16").element(t.malo_id).end();
  w.begin("RFF").element("Z13").component(t.pid).end();
  if (t.referenced_transaction) w.begin("RFF").element("TN").component(*t.referenced_transaction).end();
  if (t.planned_product_package) w.begin("RFF").element("Z60").component(*t.planned_product_package).end();
  if (t.product_code) {
    // Package 1: the product, and its Umsetzungsgradvorgabe (vollumfänglich, Z01).
    w.begin("SEQ").element("Z79").element("1").end();
    w.begin("PIA").element("5").element(*t.product_code).component("Z11").end();
    w.begin("CCI").element("Z66").end();
    w.begin("SEQ").element("ZH0").element("1").end();
    w.begin("CCI").element("Z65").element("").element("").element("Z01").end();
  }
  if (t.malo_info) w.begin("SEQ").element("Z98").end();
  if (t.household || t.annual_consumption_kwh) {
    w.begin("SEQ").element("Z01").end();
    if (t.annual_consumption_kwh)
      w.begin("QTY").element("Z09").component(*t.annual_consumption_kwh).component("KWH").end();
    if (t.household) w.begin("CCI").element("").element("").element(*t.household ? "Z15" : "Z18").end();
  }
  if (t.enfg) {
    w.begin("SEQ").element("Z75").end();
    w.begin("CCI").element("Z61").element("").element(*t.enfg).end();
  }
  if (t.customer) nad_party(w, "Z09", *t.customer);
  if (t.correspondence) nad_party(w, "Z04", *t.correspondence);
  if (t.other_party) nad_partner(w, "VY", *t.other_party);
}

template <class W>
void emit_body(W& w, const UtilmdMessage& u) {
  w.begin("BGM").element(u.document_code).element(u.document_number).end();
  dtm_303(w, "137", u.message_date);
  nad_partner(w, "MS", u.sender);
  nad_partner(w, "MR", u.receiver);
  for (const auto& t : u.transactions) emit_transaction(w, t);
}

}  // namespace

UtilmdMessage read_utilmd(const Message& m) { return read_utilmd_of(m); }
UtilmdMessage read_utilmd(const MessageView& m) { return read_utilmd_of(m); }

Message build_utilmd(const UtilmdMessage& u) {
  Message m;
  m.reference = u.reference;
  m.type = "UTILMD";
  m.version = "D";
  m.release = "11A";
  m.agency = "UN";
  m.association = u.association;
  m.segments.reserve(4 + u.transactions.size() * 10);
  SegmentSink sink{m.segments};
  emit_body(sink, u);
  return m;
}

std::string write_utilmd_interchange(const UtilmdMessage& u, std::string_view interchange_reference,
                                     std::chrono::sys_seconds prepared_at) {
  detail::InterchangeText text(384);
  SegmentWriter& w = text.w;
  detail::write_unb(w, u.sender, u.receiver, interchange_reference, prepared_at);
  detail::write_unh(w, u.reference, "UTILMD", "D", "11A", "UN", u.association);
  CountingWriter counting{w};
  emit_body(counting, u);
  detail::write_trailer(w, counting.count, u.reference, interchange_reference);
  return std::move(text.out);
}

}  // namespace mako::edifact
