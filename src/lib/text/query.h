// A search box's text, parsed into what the index is asked. The user's
// syntax is small and ours: words, "phrases", -exclusions, and (while typing)
// a prefix for the last word. Everything else — the engines' own operators
// (NEAR, *, :, ^, column names, AND/OR/NOT, parentheses) — is plain text that
// the tokenizer splits into words, so no part of a query ever reaches an
// engine as syntax: the stores build the engine's query from these words,
// which hold letters and digits only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lib/text/tokens.h"

namespace chancery::text {

struct QueryWord {
  std::string exact;   // as typed, lower case, NFC
  std::string folded;  // what matches
  std::string telex;   // a second folded spelling when typed in telex ("ddinhj" → "dinh")
};

struct QueryClause {
  std::vector<QueryWord> words;  // one word, or a phrase's words in order
  bool phrase = false;
  bool exclude = false;  // -word, -"phrase": hits must not have it
  bool prefix = false;   // the last word while typing: any word that starts so
};

struct ParsedQuery {
  std::vector<QueryClause> clauses;
  // Every word of the clauses that are not excluded, in order (for bigrams,
  // highlighting and citations).
  std::vector<QueryWord> Positive() const;
};

constexpr std::size_t kMaxQueryChars = 500;
constexpr std::size_t kMaxQueryWords = 64;

// Refuses an empty query ("query_empty"), one over 500 characters
// ("query_too_long") and one with nothing to look for besides exclusions
// ("query_only_exclusions"); keeps the first 64 distinct words. With
// `as_you_type` the last word, when the text does not end in a space, is a
// prefix.
Result<ParsedQuery> ParseQuery(std::string_view text, bool as_you_type = false);

}  // namespace chancery::text
