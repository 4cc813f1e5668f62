// model_fields.hpp lists every member of the UTILMD model once, in declaration order: a member
// added to a struct but not to the list fails here (the Python bindings map only listed members).
#include <catch2/catch.hpp>

#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mako/domain/edifact/model_fields.hpp"

namespace ed = mako::edifact;

namespace {

// Converts to any member type: T{Any{}, Any{}, ...} compiles for as many initializers as the
// aggregate T has members.
struct Any {
  template <class T>
  operator T() const;  // NOLINT: declared only, used in unevaluated context
};

template <class T, class... Inits>
constexpr std::size_t member_count() {
  if constexpr (requires { T{std::declval<Inits>()..., Any{}}; }) return member_count<T, Inits..., Any>();
  else return sizeof...(Inits);
}

template <class T>
std::vector<std::string> listed(const T& value) {
  std::vector<std::string> names;
  ed::for_each_field([&](const char* name, const auto&) { names.emplace_back(name); }, value);
  return names;
}

}  // namespace

template <class T>
void check_lists_every_member() {
  const auto names = listed(T{});
  CHECK(names.size() == member_count<T>());
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
}

TEST_CASE("the model field lists name every member once", "[edifact][model]") {
  check_lists_every_member<ed::MarketPartner>();
  check_lists_every_member<ed::Party>();
  check_lists_every_member<ed::UtilmdParty>();
  check_lists_every_member<ed::UtilmdTransaction>();
  check_lists_every_member<ed::UtilmdMessage>();
  check_lists_every_member<ed::AperakError>();
  check_lists_every_member<ed::AperakMessage>();
  check_lists_every_member<ed::ContrlElementError>();
  check_lists_every_member<ed::ContrlSegmentError>();
  check_lists_every_member<ed::ContrlMessageResponse>();
  check_lists_every_member<ed::ContrlMessage>();
}

TEST_CASE("the model field lists visit the members themselves", "[edifact][model]") {
  ed::UtilmdTransaction t;
  // Filling through the list reaches the struct: each string member gets its own name.
  ed::for_each_field(
      [](const char* name, auto& member) {
        if constexpr (std::is_same_v<std::decay_t<decltype(member)>, std::string>) member = name;
      },
      t);
  CHECK(t.reference == "reference");
  CHECK(t.pid == "pid");
  CHECK(t.malo_id == "malo_id");
  CHECK(t.third_party_answer_code_list == "third_party_answer_code_list");
}
