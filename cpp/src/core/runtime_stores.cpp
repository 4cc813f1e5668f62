#include "mako/core/runtime_stores.hpp"

namespace mako {

void RuntimeStores::fill_missing_from(const RuntimeStores& other) {
  if (!outbox) outbox = other.outbox;
  if (!deadlines) deadlines = other.deadlines;
  if (!registry) registry = other.registry;
  if (!inbox) inbox = other.inbox;
  if (!dead_letters) dead_letters = other.dead_letters;
  if (!checkpoints) checkpoints = other.checkpoints;
}

}  // namespace mako
