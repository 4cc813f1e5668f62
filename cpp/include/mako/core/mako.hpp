#pragma once
// Everything an embedder of the core needs.
#include "mako/core/engine.hpp"
#include "mako/core/errors.hpp"
#include "mako/core/in_memory_event_store.hpp"
#include "mako/core/in_memory_snapshot_store.hpp"
#include "mako/core/process.hpp"
#include "mako/core/workflow_registry.hpp"
