#include "mako/core/json_reader.hpp"

#include "mako/core/json_text.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>

namespace mako {

namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxMembers = 32;  // duplicate-key check is quadratic; wider objects fall back

class Reader {
 public:
  Reader(const char* p, const char* end, std::size_t root_members) : p_(p), end_(end), root_members_(root_members) {}

  bool document(Json& out) {
    skip_ws();
    if (!value(out, 0)) return false;
    skip_ws();
    return p_ == end_;
  }

 private:
  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  bool value(Json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        // The usual string (no escapes, ASCII only) is built straight from the text: no empty
        // string first, no appending.
        std::string_view plain;
        if (key_view(plain)) {
          if (out.is_string()) out.get_ref<Json::string_t&>().assign(plain);
          else out = Json(plain);
          return true;
        }
        if (!out.is_string()) out = Json::string_t();
        return string(out.get_ref<Json::string_t&>());
      }
      case 't':
        if (!literal("true")) return false;
        out = true;
        return true;
      case 'f':
        if (!literal("false")) return false;
        out = false;
        return true;
      case 'n':
        if (!literal("null")) return false;
        out = nullptr;
        return true;
      default: return number(out);
    }
  }

  bool object(Json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;  // '{'
    if (!out.is_object()) out = Json::object();
    // The underlying vector: ordered_map::operator[] looks keys up.
    auto& members = static_cast<Json::object_t::Container&>(out.get_ref<Json::object_t&>());
    // A fresh object (no previous tree to reuse) would otherwise grow by 1, 2, 4, 8 members.
    if (members.capacity() == 0) members.reserve(depth == 1 ? root_members_ : 8);
    std::size_t n = 0;
    skip_ws();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      while (members.size() > n) members.pop_back();
      return true;
    }
    while (true) {
      skip_ws();
      if (p_ == end_ || *p_ != '"') return false;
      std::string_view key;
      if (!key_view(key)) {  // escapes: decoded into key_
        key_.clear();
        if (!string(key_)) return false;
        key = key_;
      }
      skip_ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_ws();
      if (n == kMaxMembers) return false;
      // The previous tree's member at n with the same key (the usual case: the same shape) needs no
      // duplicate check: the members before it are the previous tree's too, whose keys are unique.
      if (n >= members.size() || !same(members[n].first, key)) {
        for (std::size_t i = 0; i < n; ++i)
          if (same(members[i].first, key))
            return false;  // duplicate: Json::parse keeps the first position, the last value
        while (members.size() > n) members.pop_back();  // const keys: drop the differing tail, then append
        if (members.size() == members.capacity()) grow(members);
        members.emplace_back(std::piecewise_construct, std::forward_as_tuple(key), std::forward_as_tuple());
      }
      if (!value(members[n].second, depth)) return false;
      ++n;
      bool more = false;
      if (!comma_or_close('}', more)) return false;
      if (more) continue;
      while (members.size() > n) members.pop_back();
      return true;
    }
  }

  // Doubles the room for members, moving their values. std::vector's own growth copies whole
  // members, value strings and all: the const key makes the pair not nothrow-movable.
  static void grow(Json::object_t::Container& members) {
    Json::object_t::Container bigger;
    bigger.reserve(members.size() * 2);
    for (auto& m : members)
      bigger.emplace_back(std::piecewise_construct, std::forward_as_tuple(m.first),
                          std::forward_as_tuple(std::move(m.second)));
    members.swap(bigger);
  }

  bool array(Json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;  // '['
    if (!out.is_array()) out = Json::array();
    auto& items = out.get_ref<Json::array_t&>();
    std::size_t n = 0;
    skip_ws();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      items.clear();
      return true;
    }
    while (true) {
      skip_ws();
      if (n == items.size()) items.emplace_back();
      if (!value(items[n], depth)) return false;
      ++n;
      bool more = false;
      if (!comma_or_close(']', more)) return false;
      if (more) continue;
      items.resize(n);
      return true;
    }
  }

  // Keys are short: a byte loop beats a call to memcmp.
  static bool same(const std::string& a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < b.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  // A string without escapes or bytes outside ASCII (most keys and values), as a view into the text; false
  // (nothing consumed) otherwise.
  bool key_view(std::string_view& out) {
    const char* q = skip_plain(p_ + 1);
    while (q != end_) {
      const auto c = static_cast<unsigned char>(*q);
      if (c == '"') {
        out = std::string_view(p_ + 1, static_cast<std::size_t>(q - p_ - 1));
        p_ = q + 1;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      ++q;
    }
    return false;
  }

  // The first byte from q on that may end a plain string ('"', '\\', a control byte or one >= 0x80).
  const char* skip_plain(const char* q) const { return json_plain_run(q, end_); }

  // Sets a number in place when `out` already holds one of the same type (no destroy and rebuild).
  // (get_ptr alone does not tell: an unsigned value also answers to number_integer_t*.)
  template <class T>
  static void set_number(Json& out, T v) {
    if (out.type() == Json(v).type()) *out.get_ptr<T*>() = v;
    else out = v;
  }

  // After a member or an item: consumes ',' (more = true) or `close` (more = false); false when neither follows.
  bool comma_or_close(char close, bool& more) {
    skip_ws();
    if (p_ == end_) return false;
    more = *p_ == ',';
    if (!more && *p_ != close) return false;
    ++p_;
    return true;
  }

  // A string without \u escapes, checked to be well-formed UTF-8 as Json::parse checks it.
  bool string(std::string& out) {
    ++p_;  // '"'
    out.clear();
    while (true) {
      const char* run = p_;
      p_ = skip_plain(p_);
      while (p_ != end_) {
        const auto c = static_cast<unsigned char>(*p_);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++p_;
      }
      out.append(run, static_cast<std::size_t>(p_ - run));
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++p_ == end_) return false;
        char e;
        switch (*p_) {
          case '"': e = '"'; break;
          case '\\': e = '\\'; break;
          case '/': e = '/'; break;
          case 'b': e = '\b'; break;
          case 'f': e = '\f'; break;
          case 'n': e = '\n'; break;
          case 'r': e = '\r'; break;
          case 't': e = '\t'; break;
          default: return false;  // \u (or invalid): Json::parse
        }
        out.push_back(e);
        ++p_;
        continue;
      }
      const std::size_t len = utf8_length();
      if (len == 0) return false;
      out.append(p_, len);
      p_ += len;
    }
  }

  // Length of the well-formed UTF-8 sequence at p_ (Unicode table 3-7), 0 if ill-formed.
  std::size_t utf8_length() const {
    const auto* s = reinterpret_cast<const unsigned char*>(p_);
    const auto left = static_cast<std::size_t>(end_ - p_);
    auto in = [](unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
    const unsigned char c = s[0];
    if (in(c, 0xC2, 0xDF)) return left >= 2 && in(s[1], 0x80, 0xBF) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
      if (left < 3) return 0;
      const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      return in(s[1], lo, hi) && in(s[2], 0x80, 0xBF) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      if (left < 4) return 0;
      const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      return in(s[1], lo, hi) && in(s[2], 0x80, 0xBF) && in(s[3], 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // RFC 8259 number grammar; the same value type and value as Json::parse.
  bool number(Json& out) {
    const char* start = p_;
    bool negative = false, integral = true;
    if (*p_ == '-') {
      negative = true;
      ++p_;
    }
    if (p_ == end_ || !digit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (p_ != end_ && *p_ == '.') {
      integral = false;
      ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (integral) {
      if (negative) {
        std::int64_t v;
        auto r = std::from_chars(start, p_, v);
        if (r.ec == std::errc() && r.ptr == p_) {
          set_number(out, static_cast<Json::number_integer_t>(v));
          return true;
        }
      } else {
        std::uint64_t v;
        auto r = std::from_chars(start, p_, v);
        if (r.ec == std::errc() && r.ptr == p_) {
          set_number(out, static_cast<Json::number_unsigned_t>(v));
          return true;
        }
      }
      // out of range: Json::parse stores it as a float
    }
    double d;
    auto r = std::from_chars(start, p_, d);
    if (r.ec != std::errc() || r.ptr != p_ || !std::isfinite(d)) return false;
    set_number(out, static_cast<Json::number_float_t>(d));
    return true;
  }

  const char* p_;
  const char* end_;
  std::size_t root_members_;  // room for a fresh top-level object's members
  std::string key_;
};

}  // namespace

bool parse_json_into(std::string_view text, Json& out, std::size_t root_members) {
  Reader reader(text.data(), text.data() + text.size(), root_members);
  return reader.document(out);
}

}  // namespace mako
