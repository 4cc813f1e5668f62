#pragma once
// Everything an embedder needs for the SQLite stores.
#include "mako/sqlite/durability.hpp"
#include "mako/sqlite/process_tuning.hpp"
#include "mako/sqlite/sqlite_checkpoint_store.hpp"
#include "mako/sqlite/sqlite_dead_letter_sink.hpp"
#include "mako/sqlite/sqlite_deadline_store.hpp"
#include "mako/sqlite/sqlite_inbox_store.hpp"
#include "mako/sqlite/sqlite_options.hpp"
#include "mako/sqlite/sqlite_outbox_store.hpp"
#include "mako/sqlite/sqlite_process_registry.hpp"
#include "mako/sqlite/sqlite_snapshot_store.hpp"
#include "mako/sqlite/sqlite_store.hpp"
