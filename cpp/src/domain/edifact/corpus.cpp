#include "mako/domain/edifact/corpus.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>

#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/envelope.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/writer.hpp"

namespace mako::edifact::corpus {
namespace {

using namespace std::chrono;

const MarketPartner kNbPartner{kNb, "293"};
const MarketPartner kLfnPartner{kLfn, "293"};
const MarketPartner kLfaPartner{kLfa, "293"};

// 2026-03-02 (Monday) 10:00 UTC: the message date (FV2604, UTILMD S2.1); start 2026-03-31 22:00 UTC
// = 2026-04-01 00:00 Berlin (CEST). gpke_examples(message_date) re-dates the set (e.g. for S2.2).
constexpr sys_seconds kSent = sys_days{year{2026} / March / 2} + hours{10};
constexpr sys_seconds kStart = sys_days{year{2026} / March / 31} + hours{22};

UtilmdParty customer() {
  UtilmdParty p;
  p.name = "Erika Müller";
  p.street = "Hauptstraße 7";
  p.postcode = "10115";
  p.city = "Berlin";
  p.country = "DE";
  return p;
}

// One GPKE step: who sends it to whom, and the transaction its Prüfschablone asks for
// (edifact/utilmd_rules.hpp; every example passes check_utilmd_ahb and makotest).
struct Step {
  const char* pid;
  const MarketPartner* from;
  const MarketPartner* to;
  const char* document_code;
  const char* reason;
  const char* supplement = "";
  const char* answer_code = nullptr;  // with answer_ebd
  const char* answer_ebd = nullptr;
  bool answers = false;  // RFF+TN quotes the request
};

UtilmdTransaction transaction_for(const Step& s, std::string reference, const char* malo, sys_seconds sent) {
  UtilmdTransaction t;
  t.reference = std::move(reference);
  t.pid = s.pid;
  t.reason = s.reason;
  t.reason_supplement = s.supplement;
  if (s.answer_code) {
    t.answer_code = s.answer_code;
    t.answer_code_list = s.answer_ebd;
  }
  if (s.answers) t.referenced_transaction = "VG0000000001-1";
  // Beginn / Ende zum: 00:00 Berlin, 30 days after the message date (2026-04-01 for kSent).
  const sys_seconds start = calendar::berlin_start_of_day(calendar::Date(floor<days>(sent) + days(30)));
  const std::string pid = s.pid;
  auto any = [&](std::initializer_list<const char*> pids) {
    for (const char* p : pids)
      if (pid == p) return true;
    return false;
  };
  if (any({"55001", "55002"})) t.start = start;
  if (any({"55004", "55005", "55007", "55008", "55010", "55011", "55016", "55017", "55037"})) t.end = start;
  if (any({"55001", "55002", "55004", "55007", "55010", "55016", "55036", "55037"})) t.malo_id = malo;
  if (pid == "55001") {
    t.product_code = "9991000002082";
    t.household = true;
    t.enfg = "ZG0";
    t.customer = UtilmdParty{"Erika Müller", false, "", "", "", ""};  // NAD+Z09: the name
    t.correspondence = customer();                                    // NAD+Z04: name and address
  }
  if (pid == "55002") {
    t.planned_product_package = "1";  // SG8 SEQ+Z98 only for a gemessene MaLo (ZW7, [483])
  }
  if (pid == "55010") {
    t.request_received_on = floor<days>(sent);
    t.customer = UtilmdParty{"Erika Müller", false, "", "", "", ""};
    t.other_party = kLfnPartner;
  }
  if (pid == "55036") t.other_party = kLfaPartner;
  if (pid == "55017") t.annual_consumption_kwh = "3500";
  // S2.2: the Abmeldung wegen Stilllegung (Z33) names the Geräteausbaudatum.
  if ((pid == "55007" || pid == "55008") && s.reason == std::string_view("Z33") &&
      require_release("UTILMD", sent) == "S2.2")
    t.device_removal = start;
  if (t.answer_code && *t.answer_code == "A99") t.remark = "Sonstiges: Prüfung ergab einen Widerspruch";
  return t;
}

UtilmdMessage utilmd(const Step& s, const std::string& ref, std::size_t n_tx = 1, sys_seconds sent = kSent) {
  UtilmdMessage u;
  u.reference = ref;
  u.association = require_release("UTILMD", sent);
  u.document_code = s.document_code;
  u.document_number = "DOC" + ref;
  u.message_date = sent;
  u.sender = *s.from;
  u.receiver = *s.to;
  for (std::size_t i = 0; i < n_tx; ++i)
    u.transactions.push_back(
        transaction_for(s, "VG" + ref + "-" + std::to_string(i + 1), i % 2 ? kMaloB : kMaloA, sent));
  return u;
}

std::string wire(const MarketPartner& from, const MarketPartner& to, const std::string& ref,
                 std::vector<Message> messages, std::string line_break = "", sys_seconds sent = kSent) {
  Interchange ic = make_interchange(from, to, ref, sent, std::move(messages));
  ic.line_break = std::move(line_break);
  return write(ic);
}

std::string utilmd_wire(const Step& s, const std::string& ref, sys_seconds sent = kSent) {
  return wire(*s.from, *s.to, "IC" + ref, {build_utilmd(utilmd(s, ref, 1, sent))}, "", sent);
}

// Independent of the parser: 1-based number of the segment containing `offset` (UNA not
// counted; one past the last segment at end of data), assuming default separators.
std::size_t segment_number_at(const std::string& bytes, std::size_t offset) {
  std::size_t i = bytes.rfind("UNA", 0) == 0 ? 9 : 0;
  std::size_t number = 1;
  for (; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '?') {
      ++i;
      continue;
    }
    if (bytes[i] == '\'') ++number;
  }
  return number;
}

std::size_t find_or_throw(const std::string& bytes, const std::string& what, std::size_t from = 0) {
  const auto pos = bytes.find(what, from);
  if (pos == std::string::npos) throw std::logic_error("corpus: '" + what + "' not found");
  return pos;
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  const auto pos = find_or_throw(s, from);
  s.replace(pos, from.size(), to);
  return s;
}

InvalidExample located(std::string name, std::string description, std::string bytes, std::size_t offset,
                       std::string tag, bool fails_in_parse = true) {
  InvalidExample e;
  e.segment_number = segment_number_at(bytes, offset);
  e.name = std::move(name);
  e.description = std::move(description);
  e.bytes = std::move(bytes);
  e.fails_in_parse = fails_in_parse;
  e.byte_offset = offset;
  e.segment_tag = std::move(tag);
  return e;
}

const Step kAnmeldung{"55001", &kLfnPartner, &kNbPartner, "E01", "E03", "ZW4"};

}  // namespace

std::vector<Example> gpke_examples(sys_seconds message_date) {
  const sys_seconds kSent = message_date;  // the examples below are dated here
  const std::vector<std::pair<Step, const char*>> steps = {
      {kAnmeldung, "Anmeldung verbrauchende MaLo (Lieferantenwechsel, E03) LFN->NB"},
      {{"55001", &kLfnPartner, &kNbPartner, "E01", "E01", "ZW4"}, "Anmeldung bei Einzug (E01) LFN->NB"},
      {{"55036", &kNbPartner, &kLfnPartner, "E01", "Z26", "", nullptr, nullptr, true},
       "Information ueber bestehende Zuordnung NB->LFN"},
      {{"55010", &kNbPartner, &kLfaPartner, "E02", "E03", "ZW4"}, "Anfrage zur Beendigung NB->LFA"},
      {{"55011", &kLfaPartner, &kNbPartner, "E02", "E03", "", "A36", "E_0624", true},
       "Bestaetigung Beendigung LFA->NB"},
      {{"55012", &kLfaPartner, &kNbPartner, "E02", "E03", "", "A35", "E_0624", true}, "Ablehnung Beendigung LFA->NB"},
      {{"55002", &kNbPartner, &kLfnPartner, "E01", "E03", "ZW6", "A51", "E_0623", true},
       "Bestaetigung Anmeldung NB->LFN"},
      {{"55003", &kNbPartner, &kLfnPartner, "E01", "E03", "ZW4", "A07", "E_0622", true}, "Ablehnung Anmeldung NB->LFN"},
      {{"55037", &kNbPartner, &kLfaPartner, "E02", "ZC8", "ZW4"}, "Beendigung der Zuordnung NB->LFA"},
      {{"55004", &kLfaPartner, &kNbPartner, "E02", "E01", "ZW4"}, "Abmeldung LF->NB"},
      {{"55005", &kNbPartner, &kLfaPartner, "E02", "E01", "", "A11", "E_0607", true}, "Bestaetigung Abmeldung NB->LF"},
      {{"55006", &kNbPartner, &kLfaPartner, "E02", "E01", "", "A99", "E_0607", true}, "Ablehnung Abmeldung NB->LF"},
      {{"55007", &kNbPartner, &kLfaPartner, "E02", "Z33", "ZW4"}, "Abmeldung durch NB NB->LF"},
      {{"55008", &kLfaPartner, &kNbPartner, "E02", "Z33", "", "A10", "E_0609", true},
       "Bestaetigung Abmeldung durch NB LF->NB"},
      {{"55009", &kLfaPartner, &kNbPartner, "E02", "Z33", "", "A99", "E_0609", true},
       "Ablehnung Abmeldung durch NB LF->NB"},
      {{"55016", &kLfnPartner, &kLfaPartner, "E35", "E03", "ZW4"}, "Kuendigung LFN->LFA"},
      {{"55017", &kLfaPartner, &kLfnPartner, "E35", "E03", "ZW4", "A09", "E_0614", true},
       "Bestaetigung Kuendigung LFA->LFN"},
      {{"55018", &kLfaPartner, &kLfnPartner, "E35", "E03", "", "A10", "E_0614", true}, "Ablehnung Kuendigung LFA->LFN"},
  };
  std::vector<Example> out;
  std::size_t n = 0;
  for (const auto& [step, description] : steps) {
    ++n;
    std::string ref = std::to_string(n);
    ref.insert(0, 10 - ref.size(), '0');  // 10-digit message reference, e.g. 0000000001
    out.push_back(
        {std::string("utilmd_") + step.pid + "_" + std::to_string(n), description, utilmd_wire(step, ref, kSent)});
  }
  {  // 55003 after the LFA refused: its answer (STS+Z35) and MP-ID (NAD+VY) quoted.
    UtilmdMessage u = utilmd({"55003", &kNbPartner, &kLfnPartner, "E01", "E03", "ZW4", "A50", "E_0623", true},
                             "0000000019", 1, kSent);
    u.transactions[0].third_party_answer_code = "A35";
    u.transactions[0].third_party_answer_code_list = "E_0624";
    u.transactions[0].other_party = kLfaPartner;
    out.push_back({"utilmd_55003_lfa_refused", "Ablehnung Anmeldung NB->LFN, weil der LFA ablehnte (A50, Z35 A35)",
                   wire(kNbPartner, kLfnPartner, "IC0000000019", {build_utilmd(u)}, "", kSent)});
  }

  // Acknowledgements are dated in FV2604 (APERAK 2.1i), one in FV2610 (APERAK 2.2): no APERAK
  // release is in force before FV2504.
  constexpr sys_seconds kAckSent = sys_days{year{2026} / March / 2} + hours{9};
  constexpr sys_seconds kAckSent22 = sys_days{year{2026} / November / 2} + hours{9};
  AperakMessage positive;
  positive.reference = "AP1";
  positive.positive = true;
  positive.document_number = "APDOC1";
  positive.message_date = kAckSent;
  positive.referenced_document = "DOC0000000001";
  positive.referenced_date = kSent;
  positive.referenced_message = "0000000001";
  positive.transaction_ref = "VG0000000001-1";
  positive.sender = kNbPartner;
  positive.receiver = kLfnPartner;
  out.push_back({"aperak_312", "APERAK positive (BGM+312) NB->LFN, release 2.1i",
                 wire(kNbPartner, kLfnPartner, "ICAP1", {build_aperak(positive)})});

  AperakMessage negative = positive;
  negative.reference = "AP2";
  negative.positive = false;
  negative.document_number = "APDOC2";
  // '?', '+' and ':' must be escaped; the umlauts are Latin-1 on the wire (UNOC).
  negative.errors = {{"Z29", std::nullopt, "Zählpunkt unbekannt? Prüfe: MaLo+ID", "SG5 LOC+Z16"},
                     {"Z31", "55001", std::nullopt, std::nullopt}};
  out.push_back({"aperak_313", "APERAK error (BGM+313) with ERC, escaped text and Latin-1 umlauts, release 2.1i",
                 wire(kNbPartner, kLfnPartner, "ICAP2", {build_aperak(negative)})});

  AperakMessage negative22 = negative;
  negative22.reference = "AP3";
  negative22.document_number = "APDOC3";
  negative22.message_date = kAckSent22;
  out.push_back({"aperak_313_v22", "APERAK error (BGM+313) in release 2.2: RFF+AGO/TN in SG2, SG5 RFF+TN",
                 wire(kNbPartner, kLfnPartner, "ICAP3", {build_aperak(negative22)})});

  ContrlMessage accepted;
  accepted.reference = "CT1";
  accepted.interchange_reference = "IC0000000001";
  accepted.interchange_sender = to_party(kLfnPartner);
  accepted.interchange_receiver = to_party(kNbPartner);
  accepted.action = kContrlAccepted;
  out.push_back({"contrl_7", "CONTRL accepted (UCI ...+7) NB->LFN",
                 wire(kNbPartner, kLfnPartner, "ICCT1", {build_contrl(accepted)})});

  ContrlMessage rejected = accepted;
  rejected.reference = "CT2";
  rejected.action = kContrlRejected;
  rejected.messages = {
      {"0000000001", "UTILMD", "D", "11A", "UN", "S2.1", kContrlRejected, "", "", {{"5", "", {{"12", "2", "1"}}}}}};
  out.push_back({"contrl_4", "CONTRL rejected (UCI ...+4) with UCM/UCS/UCD: invalid value in segment 5",
                 wire(kNbPartner, kLfnPartner, "ICCT2", {build_contrl(rejected)})});

  ContrlMessage rejected_unt = accepted;
  rejected_unt.reference = "CT3";
  rejected_unt.action = kContrlRejected;
  rejected_unt.messages = {{"0000000001", "UTILMD", "D", "11A", "UN", "S2.1", kContrlRejected, "29", "UNT", {}}};
  out.push_back({"contrl_4_unt", "CONTRL rejected at message level: UNT count does not match (29 at UNT)",
                 wire(kNbPartner, kLfnPartner, "ICCT3", {build_contrl(rejected_unt)})});

  ContrlMessage rejected_unb = accepted;
  rejected_unb.reference = "CT4";
  rejected_unb.action = kContrlRejected;
  rejected_unb.error_code = "7";
  rejected_unb.service_segment = "UNB";
  out.push_back({"contrl_4_unb", "CONTRL rejected at interchange level: recipient not actual recipient (7 at UNB)",
                 wire(kNbPartner, kLfnPartner, "ICCT4", {build_contrl(rejected_unb)})});

  // Layout variants.
  {
    std::vector<Message> msgs;
    for (int i = 1; i <= 3; ++i) msgs.push_back(build_utilmd(utilmd(kAnmeldung, "M" + std::to_string(i), 2, kSent)));
    out.push_back({"utilmd_55001_multi_crlf", "three 55001 messages, two transactions each, CRLF after each segment",
                   wire(kLfnPartner, kNbPartner, "ICMULTI", std::move(msgs), "\r\n", kSent)});
  }
  {
    Interchange ic =
        make_interchange(kLfnPartner, kNbPartner, "ICUNA", kSent, {build_utilmd(utilmd(kAnmeldung, "U1", 1, kSent))});
    ic.separators = Separators{'|', '*', ',', '\\', ' ', '~'};  // non-default UNA
    ic.line_break = "\n";
    out.push_back({"utilmd_55001_custom_una", "55001 with UNA:|*,\\ ~ separators and LF line breaks", write(ic)});
  }
  return out;
}

std::vector<InvalidExample> invalid_examples() {
  std::vector<InvalidExample> out;
  const std::string valid = utilmd_wire(kAnmeldung, "0000000001");

  {  // UNT removed: the parser meets UNZ where UNT is due.
    const auto unt = find_or_throw(valid, "UNT+");
    const auto unt_end = find_or_throw(valid, "'", unt) + 1;
    std::string b = valid;
    b.erase(unt, unt_end - unt);
    out.push_back(located("missing_unt", "UNT removed", b, find_or_throw(b, "UNZ+"), "UNZ"));
  }
  const auto unt_at = find_or_throw(valid, "UNT+") + 4;
  const std::string segments = valid.substr(unt_at, find_or_throw(valid, "+", unt_at) - unt_at);
  const std::string one_more = std::to_string(std::stoul(segments) + 1);
  {
    std::string b = replace_once(valid, "UNT+" + segments + "+", "UNT+" + one_more + "+");
    out.push_back(located("wrong_unt_count", "UNT says " + one_more + " segments, message has " + segments, b,
                          find_or_throw(b, "UNT+"), "UNT"));
  }
  {
    std::string b = replace_once(valid, "UNT+" + segments + "+0000000001", "UNT+" + segments + "+0000000002");
    out.push_back(located("wrong_unt_ref", "UNT reference differs from UNH", b, find_or_throw(b, "UNT+"), "UNT"));
  }
  {
    std::string b = replace_once(valid, "UNZ+1+", "UNZ+2+");
    out.push_back(
        located("wrong_unz_count", "UNZ says 2 messages, interchange has 1", b, find_or_throw(b, "UNZ+"), "UNZ"));
  }
  {
    std::string b = replace_once(valid, "UNZ+1+IC0000000001", "UNZ+1+IC0000000009");
    out.push_back(located("wrong_unz_ref", "UNZ reference differs from UNB", b, find_or_throw(b, "UNZ+"), "UNZ"));
  }
  {
    std::string b = valid.substr(0, find_or_throw(valid, "UNZ+"));
    out.push_back(located("missing_unz", "UNZ removed", b, b.size(), ""));
  }
  {  // The file ends right after a release character.
    const auto q = find_or_throw(valid, "?+00");
    std::string b = valid.substr(0, q + 1);
    out.push_back(located("bad_escape_at_end", "release character as the last byte", b, q, "DTM"));
  }
  {
    std::string b = replace_once(valid, "?+00", "?A00");
    const auto q = find_or_throw(b, "?A00");
    out.push_back(located("bad_escape_sequence", "release character before a non-separator", b, q + 1, "DTM"));
  }
  {
    const auto loc = find_or_throw(valid, "LOC+");
    std::string b = valid.substr(0, loc + 10);
    out.push_back(located("truncated", "file cut in the middle of LOC", b, b.size(), "LOC"));
  }
  {  // UTF-8 "ä" (C3 A4) in a UNOC file.
    std::string b = replace_once(valid, "BGM+E01+DOC",
                                 "BGM+E01+D\xC3\xA4"
                                 "C");
    const auto at = find_or_throw(b, "\xC3\xA4");
    out.push_back(located("utf8_in_unoc", "UTF-8 encoded umlaut in a UNOC (ISO 8859-1) file", b, at, "BGM"));
  }
  {
    std::string b = replace_once(replace_once(valid, "UNOC:3", "UNOA:3"), "BGM+E01+DOC",
                                 "BGM+E01+D\xC3\xA4"
                                 "C");
    const auto at = find_or_throw(b, "\xC3\xA4");
    out.push_back(located("utf8_in_unoa", "UTF-8 bytes in a UNOA file", b, at, "BGM"));
  }
  {
    std::string b = replace_once(replace_once(valid, "UNOC:3", "UNOA:3"), "BGM+E01+DOC", "BGM+E01+Doc");
    const auto at = find_or_throw(b, "Doc") + 1;
    out.push_back(located("lowercase_in_unoa", "lower-case letter in a UNOA (level A) file", b, at, "BGM"));
  }
  {
    std::string b = replace_once(valid, "BGM+E01+DOC", std::string("BGM+E01+D\x01") + "C");
    const auto at = find_or_throw(b, std::string("\x01"));
    out.push_back(located("control_char", "control character inside data", b, at, "BGM"));
  }
  {
    UtilmdMessage u = utilmd(kAnmeldung, "0000000001");
    u.transactions[0].pid = "55999";
    std::string b = wire(kLfnPartner, kNbPartner, "IC0000000001", {build_utilmd(u)});
    out.push_back(located("unknown_pid", "RFF+Z13 with PID 55999", b, find_or_throw(b, "RFF+Z13"), "RFF", false));
  }
  {
    UtilmdMessage u = utilmd(kAnmeldung, "0000000001");
    u.transactions[0].pid = "44001";
    std::string b = wire(kLfnPartner, kNbPartner, "IC0000000001", {build_utilmd(u)});
    out.push_back(located("gas_pid_in_strom", "UTILMD Gas PID 44001 in a UTILMD Strom message", b,
                          find_or_throw(b, "RFF+Z13"), "RFF", false));
  }
  {
    std::string b = replace_once(valid, "BGM+E01+DOC0000000001", "BGM+E01+DOC0000000001+55001");
    out.push_back(located("pid_in_bgm", "PID placed in BGM", b, find_or_throw(b, "BGM+"), "BGM", false));
  }
  {  // RFF+Z13 moved in front of the first IDE.
    std::string b = replace_once(valid, "RFF+Z13:55001'", "");
    b = replace_once(b, "IDE+24", "RFF+Z13:55001'IDE+24");
    out.push_back(located("pid_at_message_level", "RFF+Z13 before the first transaction", b,
                          find_or_throw(b, "RFF+Z13"), "RFF", false));
  }
  {
    UtilmdMessage u = utilmd(kAnmeldung, "0000000001");
    u.sender = kLfaPartner;  // NAD+MS names LFA while UNB names LFN
    std::string b = wire(kLfnPartner, kNbPartner, "IC0000000001", {build_utilmd(u)});
    out.push_back(located("nad_unb_mismatch", "NAD+MS differs from UNB sender", b, find_or_throw(b, "NAD+MS"), "NAD"));
  }
  return out;
}

std::string utilmd_bulk_interchange(std::size_t message_count) {
  std::vector<Message> msgs;
  msgs.reserve(message_count);
  for (std::size_t i = 0; i < message_count; ++i)
    msgs.push_back(build_utilmd(utilmd(kAnmeldung, "B" + std::to_string(i + 1))));
  return wire(kLfnPartner, kNbPartner, "ICBULK", std::move(msgs));
}

}  // namespace mako::edifact::corpus
