#include "mako/domain/gpke/deadline_reached.hpp"

namespace mako::gpke {

void to_json(Json& j, const DeadlineReached& c) { j = object_of("name", c.name, "at", instant_to_json(c.at)); }

void from_json(const Json& j, DeadlineReached& c) {
  c.name = required(j, "name").get<std::string>();
  c.at = instant_from_json(required(j, "at"));
}

DeadlineRequest deadline_request(const std::string& name, Instant due) {
  DeadlineRequest d;
  d.name = name;
  d.due = due;
  Json data;
  to_json(data, DeadlineReached{name, due});
  d.command = object_of("type", DeadlineReached::kType, "data", std::move(data));
  return d;
}

}  // namespace mako::gpke
