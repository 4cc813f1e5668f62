#pragma once
// Everything an embedder needs for the SQLite stores.
#include "mako/sqlite/durability.hpp"
#include "mako/sqlite/sqlite_options.hpp"
#include "mako/sqlite/sqlite_snapshot_store.hpp"
#include "mako/sqlite/sqlite_store.hpp"
