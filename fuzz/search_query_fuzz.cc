// libFuzzer target for the search box's query syntax (src/lib/text/query.h):
// any bytes are parsed as a query, typed or not, and what comes out must be
// safe to put in an engine's query: at most 64 words, each made of letters
// and digits only (no quote, colon, star, caret, bracket, space or
// backslash), never empty, and at least one clause to look for.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lib/text/query.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckWord(std::string_view w, bool may_be_empty) {
  Check(may_be_empty || !w.empty());
  for (char c : w) {
    const auto u = static_cast<unsigned char>(c);
    Check(u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool typing : {false, true}) {
    auto q = chancery::text::ParseQuery(text, typing);
    if (!q.ok()) {
      Check(!q.error().fields.empty());
      continue;
    }
    Check(!q->clauses.empty());
    std::size_t words = 0, positive = 0;
    for (const auto& c : q->clauses) {
      Check(!c.words.empty());
      Check(!(c.prefix && (c.exclude || c.phrase)));
      positive += c.exclude ? 0 : 1;
      for (const auto& w : c.words) {
        ++words;
        CheckWord(w.exact, false);
        CheckWord(w.folded, false);
        CheckWord(w.telex, true);
      }
    }
    Check(positive > 0);
    Check(words <= chancery::text::kMaxQueryWords);
  }
  return 0;
}
