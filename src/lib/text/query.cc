#include "lib/text/query.h"

#include <set>
#include <utility>

#include "core/document_flow.h"

namespace chancery::text {

namespace {

QueryWord WordOf(const Token& t) {
  QueryWord w{t.exact, t.folded, FoldTelex(t.folded)};
  return w;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

std::vector<QueryWord> ParsedQuery::Positive() const {
  std::vector<QueryWord> out;
  for (const auto& c : clauses) {
    if (c.exclude) continue;
    out.insert(out.end(), c.words.begin(), c.words.end());
  }
  return out;
}

Result<ParsedQuery> ParseQuery(std::string_view raw, bool as_you_type) {
  const std::string text = Nfc(raw);
  if (Utf8Length(text) > kMaxQueryChars) {
    return Error::Invalid("q", "query_too_long",
                          "At most " + std::to_string(kMaxQueryChars) + " characters.");
  }
  ParsedQuery q;
  std::size_t words = 0;
  std::set<std::pair<std::string, bool>> seen;  // single words already taken, by exclusion
  std::size_t i = 0;
  while (i < text.size() && words < kMaxQueryWords) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size()) break;
    QueryClause clause;
    if (text[i] == '-' && i + 1 < text.size() && !IsSpace(text[i + 1])) {
      clause.exclude = true;
      ++i;
    }
    std::size_t end;
    if (text[i] == '"') {
      clause.phrase = true;
      const std::size_t close = text.find('"', i + 1);
      end = close == std::string::npos ? text.size() : close;
      for (const Token& t : Tokenize(std::string_view(text).substr(i + 1, end - i - 1))) {
        clause.words.push_back(WordOf(t));
      }
      i = close == std::string::npos ? text.size() : close + 1;
    } else {
      end = i;
      while (end < text.size() && !IsSpace(text[end]) && text[end] != '"') ++end;
      // "15/QĐ-BQP" is one clause of several words: each must be there.
      for (const Token& t : Tokenize(std::string_view(text).substr(i, end - i))) {
        clause.words.push_back(WordOf(t));
      }
      i = end;
    }
    if (clause.words.empty()) continue;
    if (clause.words.size() == 1) clause.phrase = false;
    if (!clause.phrase) {
      // Words of a clause that is not a phrase stand alone: one clause each.
      for (auto& w : clause.words) {
        if (words >= kMaxQueryWords) break;
        if (!seen.insert({w.folded, clause.exclude}).second) continue;
        QueryClause single;
        single.exclude = clause.exclude;
        single.words.push_back(std::move(w));
        q.clauses.push_back(std::move(single));
        ++words;
      }
      continue;
    }
    if (clause.words.size() > kMaxQueryWords - words) {
      clause.words.resize(kMaxQueryWords - words);
    }
    words += clause.words.size();
    q.clauses.push_back(std::move(clause));
  }
  if (q.clauses.empty()) {
    return Error::Invalid("q", "query_empty", "Type a word to look for.");
  }
  bool positive = false;
  for (const auto& c : q.clauses) positive = positive || !c.exclude;
  if (!positive) {
    return Error::Invalid("q", "query_only_exclusions",
                          "Type at least one word to look for besides those to leave out.");
  }
  if (as_you_type && !text.empty() && !IsSpace(text.back()) && text.back() != '"') {
    QueryClause& last = q.clauses.back();
    if (!last.exclude && !last.phrase) last.prefix = true;
  }
  return q;
}

}  // namespace chancery::text
