// Structured logs: one JSON object per line — {"at": "...Z", "level":
// "info", "event": "exchange.round_failed", ...fields} — so a node's log
// can be searched and shipped without parsing prose. Injected like the
// clock: services and the node's runners get a Logger&; tests use
// MemoryLogger. Secrets are never fields.
#pragma once

#include <initializer_list>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/world.h"

namespace chancery {

enum class LogLevel { kInfo, kWarning, kError };
std::string_view LogLevelName(LogLevel level);

using LogFields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, std::string_view event, LogFields fields = {}) = 0;
};

// The line a JsonLinesLogger writes (without the newline).
std::string LogLine(Timestamp at, LogLevel level, std::string_view event, LogFields fields);

// Lines to a stream (a node: standard error), one write per line.
class JsonLinesLogger final : public Logger {
 public:
  JsonLinesLogger(std::ostream& out, const Clock& clock) : out_(out), clock_(clock) {}
  void Log(LogLevel level, std::string_view event, LogFields fields = {}) override;

 private:
  std::mutex mu_;
  std::ostream& out_;
  const Clock& clock_;
};

// Keeps the lines, for tests.
class MemoryLogger final : public Logger {
 public:
  explicit MemoryLogger(const Clock& clock) : clock_(clock) {}
  void Log(LogLevel level, std::string_view event, LogFields fields = {}) override;
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mu_;
  const Clock& clock_;
  std::vector<std::string> lines_;
};

// Drops everything.
Logger& NullLogger();

}  // namespace chancery
