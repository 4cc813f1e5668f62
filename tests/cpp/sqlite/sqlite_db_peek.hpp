#pragma once
// Direct SQL access to a store's file for tests: what the store wrote, as an analyst would see it.
#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace sqlite_test {

class Peek {
 public:
  explicit Peek(const std::string& path, int flags = SQLITE_OPEN_READWRITE) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Peek() { sqlite3_close_v2(db_); }
  Peek(const Peek&) = delete;
  Peek& operator=(const Peek&) = delete;

  // Every row's columns as text (NULL as "NULL").
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_) + (": " + sql));
    std::vector<std::vector<std::string>> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      auto& row = out.emplace_back();
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        auto* t = sqlite3_column_text(s, i);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_) + (": " + sql));
    return out;
  }
  std::string value(const std::string& sql) {
    auto r = rows(sql);
    return r.empty() || r[0].empty() ? "" : r[0][0];
  }
  long long count(const std::string& sql) { return std::stoll(value(sql)); }
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// A trigger on `events` that fails (SQLITE_MISMATCH: a value of the wrong type into deadlines) for
// each new row matching `when`: how a test makes an append fail after its first write.
inline void add_failing_events_trigger(const std::string& path, const std::string& when) {
  Peek peek(path);
  const std::string sql =
      "CREATE TRIGGER poison AFTER INSERT ON events WHEN " + when +
      " BEGIN INSERT INTO deadlines (deadline_key, stream_key, name, due_ns, command, created_at_ns) "
      "VALUES ('not an integer', NEW.stream_key, 'x', 0, '{}', 0); END";
  if (peek.exec(sql) != SQLITE_OK) throw std::runtime_error("cannot create the test trigger: " + sql);
}

}  // namespace sqlite_test
