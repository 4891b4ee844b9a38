// Legal texts as structure: the Phần / Chương / Mục / Điều of a text, and
// the citations in any text ("khoản 2 Điều 8 Nghị định số 30/2020/NĐ-CP",
// "Điều 5 Luật An ninh mạng"). Pure functions over text; the service looks
// the cited documents up.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "modules/search/store.h"

namespace chancery::search {

// The parts of a legal text in reading order: a heading line "Chương II",
// "Mục 1", "Phần thứ nhất" or "Điều 5. Title" starts a part; the lines up to
// the next heading are an article's body (a heading's title, when it is on
// the next line, is taken as its title). Text before the first article is
// not a part.
std::vector<LegalPart> ParseLegalText(std::string_view text);

// How a part is named: "Phần 1", "Chương II", "Mục 2", "Điều 5".
std::string PartLabel(const LegalPart& p);

// The terms an article defines, when it is the text's "Giải thích từ ngữ"
// (its clauses read "1. An ninh mạng là …", "2. Môi trường bao gồm …"):
// each clause's words before "là" / "bao gồm" / "gồm", at most 12 of them.
// A question about a term ("An ninh mạng là gì?") is about its definition.
std::vector<std::string> DefinedTerms(const LegalPart& article);

// A document that citations may name: its folded title words and folded
// number/symbol words.
struct KnownDocument {
  Id id = 0;
  std::vector<std::string> title;
  std::vector<std::string> number;
};

struct Citation {
  std::size_t begin = 0, end = 0;  // byte offsets in the text
  std::string article;             // "5", "" when the document as a whole is cited
  std::optional<Id> legal_id;      // the document named; none: the text's own ("Luật này")
  bool own = false;  // "Điều này", "Luật này", or an article without a document
};

// The citations of `nfc` to articles and documents in `known`.
std::vector<Citation> FindCitations(std::string_view nfc, const std::vector<KnownDocument>& known);

// The documents of `known` that `nfc` names by title or number/symbol
// (without an article), each once, in order of first mention.
std::vector<Id> MentionedDocuments(std::string_view nfc, const std::vector<KnownDocument>& known);

}  // namespace chancery::search
