// Legal-document files from outside, read into what the database stores.
// Hostile until read: sizes are bounded, every field is checked, and an
// error names the file, the place in it and what is wrong.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "modules/search/store.h"

namespace chancery::search {

struct LegalInput {
  LegalDocument doc;
  bool has_text = false;  // parts replace the stored ones; without text, metadata only
  std::vector<LegalPart> parts;
  std::vector<LegalRelation> relations;  // to_key, to_number_symbol, to_title, kind
};

// The documents in `bytes`, read by the format its name and content say:
// - an ALQAC corpus (.json: [{"id": title, "articles": [{"id", "text"}]}]);
// - this project's JSON ({"documents": [...]}, docs/search.md) or CSV;
// - a procedure's JSON (its "can_cu_phap_ly": the legal bases it names);
// - plain text (.txt) of one document: "Số: …" and its heading lines;
// - the text of a PDF's text layer or a DOCX, read as plain text: `text_of`
//   reads it (lib/extract, in a child process on the node); the bytes must
//   be what the name says.
using TextOf = std::function<Result<std::string>(std::string_view bytes)>;
Result<std::vector<LegalInput>> ReadLegalFile(const std::string& file_name,
                                              const std::string& bytes,
                                              const TextOf& text_of = nullptr);

// Stores one document of the legal database in `tx`: the document (by its
// key, updating the one stored), its entry in the index, its parts and
// theirs when it has text, and its relations. Without text only what `in`
// says replaces what is stored (a procedure's legal basis names a law
// already loaded with its text); the rest is kept.
struct StoredLegal {
  Id id = 0;
  int articles = 0;
};
Result<StoredLegal> StoreLegal(store::Tx& tx, const LegalInput& in, Timestamp now);

// Puts the index entries of stored document `d`'s articles (with `d.id`),
// from its stored parts; returns how many. StoreLegal, and schema step
// search/003_defined_terms (IndexDefinedTerms: every stored document's).
// `bulk`: as one bulk write (Index::BeginBulk), which needs schema step
// search/005; the earlier step that indexes defined terms puts them one by one.
Result<int> PutArticleEntries(sql::Connection& c, const LegalDocument& d, bool bulk);
Status IndexDefinedTerms(sql::Connection& c);

// The relation kinds a file may name.
bool IsRelationKind(std::string_view kind);
std::string_view RelationLabelVi(std::string_view kind, bool incoming);

}  // namespace chancery::search
