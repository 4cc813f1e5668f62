// The EDI@Energy EDIFACT codec (mako::edifact) for Python: parse/write, the typed views and builders
// of UTILMD, APERAK and CONTRL, the PID tables and the generated corpus.
//
// The model crosses the boundary as plain dicts (C++ -> Python), which mako_engine.edifact turns into
// dataclasses, and as any object with the same attribute names (or dicts) the other way. Wire bytes
// are `bytes` (the declared repertoire, UNOC = Latin-1); values are str (UTF-8 inside).
// edifact::ParseError becomes mako_engine.edifact.ParseError (an InvalidInput / ValueError) with
// segment_number, byte_offset, segment_tag, expected and found; WriteError becomes
// mako_engine.edifact.WriteError.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mako/domain/edifact/edifact.hpp>
#include <mako/domain/edifact/model_fields.hpp>

#include "bindings.hpp"
#include "domain_py.hpp"

namespace mako::py {

using namespace pybind11::literals;
namespace ed = mako::edifact;

namespace {

struct AnyMember {
  template <class V>
  void operator()(const char*, V&) const {}
};
// The structs that model_fields.hpp lists member by member.
template <class M>
concept HasFields = requires(AnyMember f, M& m) { ed::for_each_field(f, m); };

// The typed model member by member, from its one list (model_fields.hpp): a dict per struct, None
// for an absent optional, aware UTC datetimes for instants, datetime.date for dates.
struct ModelToPy {
  pyb::object operator()(const std::string& v) const { return pyb::str(v); }
  pyb::object operator()(bool v) const { return pyb::bool_(v); }
  pyb::object operator()(Seconds v) const { return instant_to_py(v); }
  pyb::object operator()(std::chrono::sys_days v) const { return date_to_py(calendar::Date(v)); }
  pyb::object operator()(const std::vector<std::string>& v) const { return pyb::cast(v); }
  template <class V>
  pyb::object operator()(const std::optional<V>& v) const {
    return v ? (*this)(*v) : pyb::none();
  }
  template <class M>
    requires HasFields<M>
  pyb::object operator()(const std::vector<M>& v) const {
    pyb::list out;
    for (const auto& m : v) out.append((*this)(m));
    return out;
  }
  template <class M>
    requires HasFields<M>
  pyb::object operator()(const M& m) const {
    pyb::dict d;
    ed::for_each_field([&](const char* name, const auto& member) { d[name] = (*this)(member); }, m);
    return d;
  }
};

// The other way: the members of a model filled from a dict or an object with the same attribute
// names; an absent or None field leaves its member at the default. Errors name the field.
struct ModelFromPy {
  void operator()(pyb::handle v, const char* name, std::string& out) const {
    if (!PyUnicode_Check(v.ptr()))
      throw EngineError::invalid_input(std::string(name) + ": a str is required, got " +
                                       std::string(Py_TYPE(v.ptr())->tp_name));
    out = v.cast<std::string>();
  }
  void operator()(pyb::handle v, const char* name, bool& out) const {
    if (!PyBool_Check(v.ptr()))
      throw EngineError::invalid_input(std::string(name) + ": a bool is required, got " +
                                       std::string(Py_TYPE(v.ptr())->tp_name));
    out = v.cast<bool>();
  }
  void operator()(pyb::handle v, const char* name, Seconds& out) const { out = to_instant(v, name); }
  void operator()(pyb::handle v, const char* name, std::chrono::sys_days& out) const {
    out = std::chrono::sys_days(to_date(v, name));
  }
  void operator()(pyb::handle v, const char* name, std::vector<std::string>& out) const {
    out.clear();
    for (auto item : v) (*this)(item, name, out.emplace_back());
  }
  // A partner is given as a dict/object (id, code_list) or as its id alone (code list 293).
  void operator()(pyb::handle v, const char* name, ed::MarketPartner& out) const {
    if (PyUnicode_Check(v.ptr())) {
      out = ed::MarketPartner{v.cast<std::string>(), "293"};
      return;
    }
    fill(v, out);
    if (out.id.empty())
      throw EngineError::invalid_input(std::string(name) + ": a market partner (id, code_list) is required");
  }
  template <class M>
    requires HasFields<M>
  void operator()(pyb::handle v, const char* name, std::vector<M>& out) const {
    out.clear();
    for (auto item : v) (*this)(item, name, out.emplace_back());
  }
  template <class V>
  void operator()(pyb::handle v, const char* name, std::optional<V>& out) const {
    (*this)(v, name, out.emplace());
  }
  template <class M>
    requires HasFields<M>
  void operator()(pyb::handle v, const char*, M& out) const {
    fill(v, out);
  }
  template <class M>
  M read(pyb::handle obj) const {
    M out{};
    fill(obj, out);
    return out;
  }
  template <class M>
  void fill(pyb::handle obj, M& out) const {
    ed::for_each_field(
        [&](const char* name, auto& member) {
          using Member = std::decay_t<decltype(member)>;
          if (pyb::object v = field_of(obj, name)) (*this)(v, name, member);
          else if constexpr (std::is_same_v<Member, Seconds>)
            throw EngineError::invalid_input(std::string(name) + ": a timezone-aware datetime is required");
          else if constexpr (std::is_same_v<Member, ed::MarketPartner>)
            throw EngineError::invalid_input(std::string(name) + ": a market partner (id, code_list) is required");
        },
        out);
  }
};

// ---- C++ -> Python ------------------------------------------------------------------------------
pyb::list elements_to_py(const std::vector<ed::Element>& elements) {
  pyb::list out;
  for (const auto& e : elements) out.append(pyb::cast(e));
  return out;
}

pyb::dict segment_to_py(const ed::Segment& s) {
  pyb::dict d;
  d["tag"] = s.tag;
  d["elements"] = elements_to_py(s.elements);
  d["number"] = s.number;
  d["offset"] = s.offset;
  return d;
}

pyb::dict message_to_py(const ed::Message& msg) {
  pyb::dict d;
  d["reference"] = msg.reference;
  d["type"] = msg.type;
  d["version"] = msg.version;
  d["release"] = msg.release;
  d["agency"] = msg.agency;
  d["association"] = msg.association;
  d["identifier_extra"] = pyb::cast(msg.identifier_extra);
  d["header_extra"] = elements_to_py(msg.header_extra);
  pyb::list segments;
  for (const auto& s : msg.segments) segments.append(segment_to_py(s));
  d["segments"] = segments;
  d["number"] = msg.number;
  d["offset"] = msg.offset;
  return d;
}

pyb::object party_to_py(const ed::Party& p) { return ModelToPy{}(p); }

pyb::dict separators_to_py(const ed::Separators& s) {
  pyb::dict d;
  d["component"] = std::string(1, s.component);
  d["element"] = std::string(1, s.element);
  d["decimal"] = std::string(1, s.decimal);
  d["release"] = std::string(1, s.release);
  d["reserved"] = std::string(1, s.reserved);
  d["segment"] = std::string(1, s.segment);
  return d;
}

pyb::dict interchange_to_py(const ed::Interchange& ic) {
  pyb::dict d;
  d["separators"] = separators_to_py(ic.separators);
  d["has_una"] = ic.has_una;
  d["line_break"] = ic.line_break;
  d["syntax_id"] = ic.syntax_id;
  d["syntax_version"] = ic.syntax_version;
  d["syntax_extra"] = pyb::cast(ic.syntax_extra);
  d["sender"] = party_to_py(ic.sender);
  d["receiver"] = party_to_py(ic.receiver);
  d["date"] = ic.date;
  d["time"] = ic.time;
  d["reference"] = ic.reference;
  d["header_extra"] = elements_to_py(ic.header_extra);
  pyb::list messages;
  for (const auto& m : ic.messages) messages.append(message_to_py(m));
  d["messages"] = messages;
  return d;
}

// ---- Python -> C++ ------------------------------------------------------------------------------
std::vector<std::string> str_list(pyb::handle obj, const char* name) {
  pyb::object v = field_of(obj, name);
  std::vector<std::string> out;
  if (!v) return out;
  for (auto item : v) {
    if (!PyUnicode_Check(item.ptr())) throw EngineError::invalid_input(std::string(name) + ": items must be str");
    out.push_back(item.cast<std::string>());
  }
  return out;
}

std::vector<ed::Element> elements_from_py(pyb::handle obj, const char* name) {
  pyb::object v = field_of(obj, name);
  std::vector<ed::Element> out;
  if (!v) return out;
  for (auto element : v) {
    ed::Element e;
    if (PyUnicode_Check(element.ptr())) {
      e.push_back(element.cast<std::string>());  // a simple element given as a plain str
    } else {
      for (auto c : element) {
        if (!PyUnicode_Check(c.ptr())) throw EngineError::invalid_input(std::string(name) + ": components must be str");
        e.push_back(c.cast<std::string>());
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::size_t size_field(pyb::handle obj, const char* name) {
  pyb::object v = field_of(obj, name);
  return v ? v.cast<std::size_t>() : 0;
}

ed::Segment segment_from_py(pyb::handle s) {
  ed::Segment seg(str_field(s, "tag"), elements_from_py(s, "elements"));
  if (seg.tag.empty()) throw EngineError::invalid_input("segment: tag is required");
  // Where it was read: typed views report errors at these positions.
  seg.number = size_field(s, "number");
  seg.offset = size_field(s, "offset");
  return seg;
}

ed::Message message_from_py(pyb::handle m) {
  ed::Message msg;
  msg.reference = str_field(m, "reference");
  msg.type = str_field(m, "type");
  msg.version = str_field(m, "version");
  msg.release = str_field(m, "release");
  msg.agency = str_field(m, "agency");
  msg.association = str_field(m, "association");
  msg.identifier_extra = str_list(m, "identifier_extra");
  msg.header_extra = elements_from_py(m, "header_extra");
  if (pyb::object segs = field_of(m, "segments"))
    for (auto s : segs) msg.segments.push_back(segment_from_py(s));
  msg.number = size_field(m, "number");
  msg.offset = size_field(m, "offset");
  return msg;
}

ed::Party party_from_py(pyb::handle obj, const char* name) {
  ed::Party party;
  if (pyb::object p = field_of(obj, name)) ModelFromPy{}.fill(p, party);
  return party;
}

char separator_char(pyb::handle seps, const char* name, char fallback) {
  const std::string v = str_field(seps, name, std::string(1, fallback));
  if (v.size() != 1) throw EngineError::invalid_input(std::string("separators.") + name + ": one character expected");
  return v[0];
}

ed::Interchange interchange_from_py(pyb::handle obj) {
  ed::Interchange ic;
  if (pyb::object seps = field_of(obj, "separators")) {
    ic.separators.component = separator_char(seps, "component", ':');
    ic.separators.element = separator_char(seps, "element", '+');
    ic.separators.decimal = separator_char(seps, "decimal", '.');
    ic.separators.release = separator_char(seps, "release", '?');
    ic.separators.reserved = separator_char(seps, "reserved", ' ');
    ic.separators.segment = separator_char(seps, "segment", '\'');
  }
  if (pyb::object v = field_of(obj, "has_una")) ic.has_una = v.cast<bool>();
  ic.line_break = str_field(obj, "line_break");
  ic.syntax_id = str_field(obj, "syntax_id", "UNOC");
  ic.syntax_version = str_field(obj, "syntax_version", "3");
  ic.syntax_extra = str_list(obj, "syntax_extra");
  ic.sender = party_from_py(obj, "sender");
  ic.receiver = party_from_py(obj, "receiver");
  ic.date = str_field(obj, "date");
  ic.time = str_field(obj, "time");
  ic.reference = str_field(obj, "reference");
  ic.header_extra = elements_from_py(obj, "header_extra");
  if (pyb::object msgs = field_of(obj, "messages"))
    for (auto m : msgs) ic.messages.push_back(message_from_py(m));
  return ic;
}

ed::MarketPartner partner_from_py(pyb::handle obj, const char* name) {
  pyb::object p = field_of(obj, name);
  if (!p) throw EngineError::invalid_input(std::string(name) + ": a market partner (id, code_list) is required");
  ed::MarketPartner partner;
  ModelFromPy{}(p, name, partner);
  return partner;
}

ed::ParseOptions options(bool reject_utf8_in_unoc, bool check_market_partners) {
  ed::ParseOptions o;
  o.reject_utf8_in_unoc = reject_utf8_in_unoc;
  o.check_market_partners = check_market_partners;
  return o;
}

}  // namespace

void bind_edifact(pyb::module_& m) {
  m.def(
      "edifact_parse",
      [](const pyb::bytes& data, bool reject_utf8, bool check_partners) {
        const std::string_view bytes = data;
        ed::Interchange ic;
        {
          pyb::gil_scoped_release release;
          ic = ed::parse(bytes, options(reject_utf8, check_partners));
        }
        return interchange_to_py(ic);
      },
      "data"_a, "reject_utf8_in_unoc"_a = true, "check_market_partners"_a = true,
      "Parses an interchange (wire bytes) into its dict form; raises mako_engine.edifact.ParseError.");
  m.def(
      "edifact_parse_segments",
      [](const pyb::bytes& data, bool reject_utf8) {
        const std::string_view bytes = data;
        ed::SegmentStream stream = ed::parse_segments(bytes, options(reject_utf8, false));
        pyb::list out;
        for (const auto& s : stream.segments) out.append(segment_to_py(s));
        return out;
      },
      "data"_a, "reject_utf8_in_unoc"_a = true,
      "The lexical layer only: every segment (UNA excluded) as a dict, values unescaped and decoded.");
  m.def(
      "edifact_write",
      [](const pyb::object& interchange) {
        const ed::Interchange ic = interchange_from_py(interchange);
        std::string out;
        {
          pyb::gil_scoped_release release;
          out = ed::write(ic);
        }
        return pyb::bytes(out);
      },
      "interchange"_a, "Serialises an interchange (any object or dict of the dict form) to wire bytes.");
  m.def(
      "edifact_validate",
      [](const pyb::object& interchange) {
        const ed::Interchange ic = interchange_from_py(interchange);
        ed::check_market_partners(ic);
        ed::validate_messages(ic);
      },
      "interchange"_a,
      "Checks UNB vs NAD+MS/MR and runs the typed view of every UTILMD/APERAK/CONTRL message; raises ParseError.");
  m.def(
      "edifact_make_interchange",
      [](const pyb::object& sender, const pyb::object& receiver, std::string reference, const pyb::object& prepared_at,
         const pyb::list& messages) {
        pyb::dict args;
        args["sender"] = sender;
        args["receiver"] = receiver;
        std::vector<ed::Message> msgs;
        for (auto msg : messages) msgs.push_back(message_from_py(msg));
        return interchange_to_py(ed::make_interchange(partner_from_py(args, "sender"),
                                                      partner_from_py(args, "receiver"), std::move(reference),
                                                      to_instant(prepared_at, "prepared_at"), std::move(msgs)));
      },
      "sender"_a, "receiver"_a, "reference"_a, "prepared_at"_a, "messages"_a,
      "UNA + UNB (UNOC:3, qualifiers from the partners' code lists, date/time of prepared_at in UTC) + messages + UNZ.");

  m.def(
      "edifact_read_utilmd", [](const pyb::object& msg) { return ModelToPy{}(ed::read_utilmd(message_from_py(msg))); },
      "message"_a, "The typed UTILMD view of a message (dict form); raises ParseError at the offending segment.");
  m.def(
      "edifact_build_utilmd",
      [](const pyb::object& u) { return message_to_py(ed::build_utilmd(ModelFromPy{}.read<ed::UtilmdMessage>(u))); },
      "utilmd"_a, "The message (dict form) of a typed UTILMD; not validated.");
  m.def(
      "edifact_read_aperak", [](const pyb::object& msg) { return ModelToPy{}(ed::read_aperak(message_from_py(msg))); },
      "message"_a, "The typed APERAK view of a message (dict form); raises ParseError.");
  m.def(
      "edifact_build_aperak",
      [](const pyb::object& a) { return message_to_py(ed::build_aperak(ModelFromPy{}.read<ed::AperakMessage>(a))); },
      "aperak"_a,
      "The message (dict form) of a typed APERAK in the layout of its release; raises ValueError for what the MIG "
      "does not admit.");
  m.def(
      "edifact_read_contrl", [](const pyb::object& msg) { return ModelToPy{}(ed::read_contrl(message_from_py(msg))); },
      "message"_a, "The typed CONTRL view of a message (dict form); raises ParseError.");
  m.def(
      "edifact_build_contrl",
      [](const pyb::object& c) { return message_to_py(ed::build_contrl(ModelFromPy{}.read<ed::ContrlMessage>(c))); },
      "contrl"_a, "The message (dict form) of a typed CONTRL.");

  m.def(
      "edifact_utilmd_strom_pids",
      [] {
        pyb::list out;
        for (const auto& p : ed::utilmd_strom_pids()) {
          pyb::dict d;
          d["pid"] = p.pid;
          d["name"] = p.name;
          d["direction"] = p.direction;
          d["answer_to"] = p.answer_to;
          out.append(d);
        }
        return out;
      },
      "The known UTILMD Strom PIDs of the GPKE family: dicts with pid, name, direction, answer_to.");
  m.def(
      "edifact_format_of_pid",
      [](const std::string& pid) -> std::optional<std::string> {
        const auto* f = ed::format_of_pid(pid);
        if (!f) return std::nullopt;
        return f->format;
      },
      "pid"_a, "The EDIFACT message type of a PID by its prefix ('UTILMD', 'APERAK', ...), or None.");

  m.def(
      "edifact_check_utilmd_ahb",
      [](const pyb::bytes& raw) {
        const auto ic = ed::parse(std::string(raw));
        pyb::list out;
        for (const auto& msg : ic.messages) {
          if (msg.type != "UTILMD") continue;
          for (const auto& v : ed::check_utilmd_ahb(ed::read_utilmd(msg))) {
            pyb::dict d;
            d["message"] = msg.reference;
            d["pid"] = v.pid;
            d["transaction"] = v.transaction;
            d["segment"] = v.segment;
            d["field"] = v.field;
            d["problem"] = v.problem;
            d["text"] = v.message();
            out.append(d);
          }
        }
        return out;
      },
      "raw"_a, "AHB violations of every UTILMD message of an interchange (dicts), [] when it conforms.");
  m.def(
      "edifact_release_for",
      [](const std::string& message_type, const pyb::object& message_date) {
        return ed::release_for(message_type, to_instant(message_date, "message_date"));
      },
      "message_type"_a, "message_date"_a, "The MIG release in force for a message dated message_date, or None.");
  m.def(
      "edifact_corpus_gpke_examples",
      [](const pyb::object& message_date) {
        pyb::list out;
        const auto date =
            message_date.is_none() ? ed::corpus::kDefaultMessageDate : to_instant(message_date, "message_date");
        for (const auto& e : ed::corpus::gpke_examples(date)) {
          pyb::dict d;
          d["name"] = e.name;
          d["description"] = e.description;
          d["bytes"] = pyb::bytes(e.bytes);
          out.append(d);
        }
        return out;
      },
      "message_date"_a = pyb::none(),
      "One valid interchange per GPKE step plus APERAK/CONTRL and layout variants: dicts with name, description, bytes.");
  m.def(
      "edifact_corpus_invalid_examples",
      [] {
        pyb::list out;
        for (const auto& e : ed::corpus::invalid_examples()) {
          pyb::dict d;
          d["name"] = e.name;
          d["description"] = e.description;
          d["bytes"] = pyb::bytes(e.bytes);
          d["fails_in_parse"] = e.fails_in_parse;
          d["segment_number"] = e.segment_number;
          d["byte_offset"] = e.byte_offset;
          d["segment_tag"] = e.segment_tag;
          out.append(d);
        }
        return out;
      },
      "Broken interchanges with the error location they must produce.");
  m.def(
      "edifact_corpus_utilmd_bulk", [](std::size_t n) { return pyb::bytes(ed::corpus::utilmd_bulk_interchange(n)); },
      "message_count"_a, "A UTILMD interchange with message_count 55001 messages.");
  pyb::dict parties;
  parties["nb"] = ed::corpus::kNb;
  parties["lfn"] = ed::corpus::kLfn;
  parties["lfa"] = ed::corpus::kLfa;
  parties["malo_a"] = ed::corpus::kMaloA;
  parties["malo_b"] = ed::corpus::kMaloB;
  m.attr("EDIFACT_CORPUS_IDS") = parties;
}

}  // namespace mako::py
