#include "mako/core/deadline_store.hpp"

#include <algorithm>

namespace mako {

const char* deadline_status_name(DeadlineStatus status) {
  switch (status) {
    case DeadlineStatus::Pending: return "pending";
    case DeadlineStatus::Claimed: return "claimed";
    case DeadlineStatus::Fired: return "fired";
    case DeadlineStatus::Moot: return "moot";
    case DeadlineStatus::Failed: return "failed";
    case DeadlineStatus::Cancelled: return "cancelled";
  }
  return "unknown";
}

std::optional<DeadlineStatus> deadline_status_from_name(std::string_view name) {
  for (auto st : {DeadlineStatus::Pending, DeadlineStatus::Claimed, DeadlineStatus::Fired, DeadlineStatus::Moot,
                  DeadlineStatus::Failed, DeadlineStatus::Cancelled})
    if (name == deadline_status_name(st)) return st;
  return std::nullopt;
}

namespace {
template <class T>
bool one_of(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}
}  // namespace

bool DeadlineQuery::admits(const DeadlineItem& item) const {
  if (!one_of(names, item.name)) return false;
  if ((due_since && item.due < *due_since) || (due_until && item.due >= *due_until)) return false;
  if (tenants.empty() && workflows.empty() && processes.empty()) return true;
  return item.process && one_of(tenants, item.process->tenant_id) &&
         one_of(workflows, item.process->workflow_id.name()) && one_of(processes, item.process->process_id);
}

}  // namespace mako
