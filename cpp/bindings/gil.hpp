#pragma once
// GIL handling of the bindings.
//
// The engine's machinery runs with the GIL released (store I/O, C++ workflows, locks). Whenever it
// calls into Python (a Python workflow's apply/handle, destroying a Python object) it takes the GIL
// with AcquireGil.
//
// Threads Python did not create (C++ worker threads of an embedder, a scheduler) get ONE persistent
// Python thread state the first time they call into Python, kept until the thread ends. (pybind11's
// gil_scoped_acquire and PyGILState_Ensure create and destroy a thread state on every call from
// such a thread, which costs microseconds and loses thread-local Python state between calls.)
//
// A fold over many events calls apply once per event. FoldGilScope, opened around a store's
// fold_stream, lets the first apply take the GIL and keeps it until the fold ends instead of taking
// and dropping it per event; CPython's eval loop still hands the GIL to other Python threads on its
// switch interval while apply runs Python code.
#include <Python.h>

#include <cstdint>

namespace mako::py {

// Makes sure the calling thread has a Python thread state, creating a persistent one for foreign
// threads. Must be called without holding the GIL on a thread that has none.
void ensure_thread_state();
// Number of persistent thread states created for foreign threads (for tests).
std::uint64_t foreign_thread_states_created();

bool interpreter_alive();

// Takes the GIL for the scope (re-entrant: cheap when the thread already holds it).
class AcquireGil {
 public:
  AcquireGil();
  ~AcquireGil();
  AcquireGil(const AcquireGil&) = delete;
  AcquireGil& operator=(const AcquireGil&) = delete;

 private:
  PyGILState_STATE state_;
};

// Releases the GIL for the scope if this thread holds it.
class ReleaseGil {
 public:
  ReleaseGil() : saved_(PyGILState_Check() ? PyEval_SaveThread() : nullptr) {}
  ~ReleaseGil() {
    if (saved_) PyEval_RestoreThread(saved_);
  }
  ReleaseGil(const ReleaseGil&) = delete;
  ReleaseGil& operator=(const ReleaseGil&) = delete;

 private:
  PyThreadState* saved_;
};

// See above. Nested scopes are allowed; the outermost one releases what a fold acquired.
class FoldGilScope {
 public:
  FoldGilScope();
  ~FoldGilScope();
  FoldGilScope(const FoldGilScope&) = delete;
  FoldGilScope& operator=(const FoldGilScope&) = delete;
};

// Holds the GIL for one call into Python: inside a FoldGilScope it takes the GIL once and keeps it
// until the fold ends; elsewhere it behaves like AcquireGil.
class CallGil {
 public:
  CallGil();
  ~CallGil();
  CallGil(const CallGil&) = delete;
  CallGil& operator=(const CallGil&) = delete;

 private:
  bool scoped_;
  PyGILState_STATE state_{};
};

// Runs the pending signal handlers every `every` calls on this thread (GIL held); a handler that
// raises (Ctrl-C: KeyboardInterrupt) makes this throw pybind11::error_already_set.
void check_signals_every(std::uint32_t every);

}  // namespace mako::py
