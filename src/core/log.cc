#include "core/log.h"

#include <cstdio>

namespace chancery {

namespace {

// A JSON string literal of UTF-8 text (RFC 8259: quote, backslash and
// control characters escaped; everything else as is).
void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

class Null final : public Logger {
 public:
  void Log(LogLevel, std::string_view, LogFields) override {}
};

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string LogLine(Timestamp at, LogLevel level, std::string_view event, LogFields fields) {
  std::string line = "{\"at\":";
  AppendJsonString(line, FormatTimestamp(at));
  line += ",\"level\":";
  AppendJsonString(line, LogLevelName(level));
  line += ",\"event\":";
  AppendJsonString(line, event);
  for (const auto& [key, value] : fields) {
    line += ',';
    AppendJsonString(line, key);
    line += ':';
    AppendJsonString(line, value);
  }
  line += '}';
  return line;
}

void JsonLinesLogger::Log(LogLevel level, std::string_view event, LogFields fields) {
  const std::string line = LogLine(clock_.Now(), level, event, fields) + "\n";
  std::lock_guard lock(mu_);
  out_ << line << std::flush;
}

void MemoryLogger::Log(LogLevel level, std::string_view event, LogFields fields) {
  std::string line = LogLine(clock_.Now(), level, event, fields);
  std::lock_guard lock(mu_);
  lines_.push_back(std::move(line));
}

std::vector<std::string> MemoryLogger::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

Logger& NullLogger() {
  static Null null;
  return null;
}

}  // namespace chancery
