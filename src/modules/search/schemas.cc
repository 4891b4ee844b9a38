#include "modules/search/schemas.h"

#include "lib/http/json_schema.h"

namespace chancery::search {

namespace json = boost::json;
using namespace http::schema;  // NOLINT: the schema vocabulary

namespace {

json::value Marks() {
  return Array(Object({{"text", String()}, {"hit", Boolean("A word the query asked for.")}}),
               "The text in pieces, in its original spelling.");
}

json::value Facet() {
  return Array(Object({{"value", String("What to filter by.")},
                       {"label", String("What people read (Vietnamese).")},
                       {"count", Integer()}}));
}

json::value Status() { return Enum({"not_yet_in_force", "in_force", "partly_expired", "expired"}); }

json::value LegalItem() {
  return Object({{"id", Integer()},
                 {"number_symbol", String("Empty for a text known by its title only.")},
                 {"title", String()},
                 {"type_name", String("Luật, Nghị định, Thông tư …")},
                 {"issuer", String()},
                 {"signer", String()},
                 {"signed_date", Nullable(IsoDate())},
                 {"effective_date", Nullable(IsoDate())},
                 {"expiry_date", Nullable(IsoDate())},
                 {"field", String("Lĩnh vực.")},
                 {"status", Status()},
                 {"status_label", String()},
                 {"article_count", Integer()}},
                "A legal document.");
}

json::value Article() {
  return Object(
      {{"id", Integer()},
       {"number", String("\"5\", \"5a\"")},
       {"label", String("\"Điều 5\"")},
       {"title", String()},
       {"text", String()},
       {"citations",
        Array(Object({{"start", Integer("UTF-16 index in text.")},
                      {"end", Integer()},
                      {"article_id", Nullable(Integer("The cited article, when known."))},
                      {"document_id", Nullable(Integer("The cited document, when known."))}}))}},
      "An article (Điều) with its citations.");
}

}  // namespace

json::object AnswerSchemas() {
  return {
      {"SearchResults",
       Object(
           {{"items",
             Array(Object({{"kind", Enum({"document", "legal", "article"})},
                           {"id", Integer()},
                           {"document_id", Nullable(Integer("An article's legal document."))},
                           {"number_symbol", String()},
                           {"title", String()},
                           {"title_marks", Marks()},
                           {"snippet_marks", Marks()},
                           {"date", Nullable(IsoDate())},
                           {"unit_name", Nullable(String())},
                           {"state", Nullable(String("A document's state."))},
                           {"classification", Enum({"normal", "mat", "toi_mat", "tuyet_mat"})},
                           {"type_name", String()},
                           {"issuer", String()},
                           {"status", Nullable(Status())},
                           {"article_label", Nullable(String())}}))},
            {"total", Integer("Every hit the reader may see; when total_exact is false, those "
                              "among the newest candidates counted, and more match.")},
            {"total_exact", Boolean("False when more match than were counted.")},
            {"facets", Object({Optional("kind", Facet()), Optional("type", Facet()),
                               Optional("issuer", Facet()), Optional("year", Facet()),
                               Optional("state", Facet()), Optional("unit", Facet()),
                               Optional("classification", Facet()), Optional("status", Facet())})},
            {"next_cursor", Nullable(String())}},
           "Hits the reader may see, best first (or newest), with facet counts.")},
      {"LegalDocument", LegalItem()},
      {"LegalDocumentPage", Page(Ref("LegalDocument"))},
      {"LegalFacets", Object({{"type", Facet()},
                              {"issuer", Facet()},
                              {"field", Facet()},
                              {"year", Facet()},
                              {"status", Facet()}})},
      {"LegalDocumentDetail",
       Extend(LegalItem(),
              {{"status_on", IsoDate("The day the status is for.")},
               {"relations",
                Array(Object({{"kind", Enum({"based_on", "guides", "amends", "replaces", "repeals",
                                             "repeals_part", "consolidates"})},
                              {"direction", Enum({"out", "in"})},
                              {"label", String()},
                              {"other_id", Nullable(Integer("Null: not in the database."))},
                              {"other_number_symbol", String()},
                              {"other_title", String()}}))},
               {"outline", Array(Object({{"level", Enum({"phan", "chuong", "muc", "dieu"})},
                                         {"label", String()},
                                         {"title", String()},
                                         {"article_id", Nullable(Integer())},
                                         {"depth", Integer()}}))},
               {"articles", Array(Article())}})},
      {"LegalArticle", Extend(Article(), {{"document_id", Integer()},
                                          {"document_title", String()},
                                          {"document_number_symbol", String()}})},
      {"LegalImport", Object({{"documents", Integer()}, {"articles", Integer()}})},
  };
}

}  // namespace chancery::search
