#include "mako/core/deadline_store.hpp"

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

}  // namespace mako
