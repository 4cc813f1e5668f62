#pragma once
// Everything an embedder needs for the PostgreSQL store (link mako::postgres).
#include "mako/postgres/pg_options.hpp"
#include "mako/postgres/pg_snapshot_store.hpp"
#include "mako/postgres/pg_store.hpp"
