#pragma once
// Everything an embedder needs for the PostgreSQL store (link mako::postgres).
#include "mako/postgres/pg_checkpoint_store.hpp"
#include "mako/postgres/pg_dead_letter_sink.hpp"
#include "mako/postgres/pg_deadline_store.hpp"
#include "mako/postgres/pg_inbox_store.hpp"
#include "mako/postgres/pg_options.hpp"
#include "mako/postgres/pg_outbox_store.hpp"
#include "mako/postgres/pg_process_registry.hpp"
#include "mako/postgres/pg_snapshot_store.hpp"
#include "mako/postgres/pg_store.hpp"
