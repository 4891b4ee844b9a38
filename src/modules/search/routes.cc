#include "modules/search/routes.h"

#include <boost/json.hpp>
#include <sstream>

#include "lib/text/tokens.h"
#include "modules/org/views.h"
#include "modules/search/legal_import.h"

namespace chancery::search {

namespace json = boost::json;
using namespace http;  // NOLINT: the handler vocabulary
using org::ActorOf;

namespace {

// "a|b|c" → {"a", "b", "c"}; absent → {}. Not commas: names of issuers
// and fields hold them ("An ninh, trật tự").
std::vector<std::string> ListParam(const Request& req, const char* name) {
  std::vector<std::string> out;
  auto v = QueryParam(req, name);
  if (!v) return out;
  std::stringstream in(*v);
  std::string part;
  while (std::getline(in, part, '|')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

template <typename T>
Result<std::vector<T>> IntList(const Request& req, const char* name) {
  std::vector<T> out;
  for (const auto& s : ListParam(req, name)) {
    auto n = ParseInt(s);
    if (!n) return Error::Invalid(name, "not_a_number", "Whole numbers, separated by |.");
    out.push_back(static_cast<T>(*n));
  }
  return out;
}

json::array MarksJson(const std::vector<services::Mark>& marks) {
  json::array out;
  for (const auto& m : marks) out.push_back(json::object{{"text", m.text}, {"hit", m.hit}});
  return out;
}

json::value StatusJson(std::optional<Validity> v) {
  return v ? json::value(std::string(ValidityName(*v))) : json::value(nullptr);
}

json::object LegalItem(const LegalDocument& d, Validity status) {
  return {{"id", d.id},
          {"number_symbol", d.number_symbol},
          {"title", d.title},
          {"type_name", d.type_name},
          {"issuer", d.issuer},
          {"signer", d.signer},
          {"signed_date", OptDate(d.signed_date)},
          {"effective_date", OptDate(d.effective_date)},
          {"expiry_date", OptDate(d.expiry_date)},
          {"field", d.field},
          {"status", ValidityName(status)},
          {"status_label", ValidityLabelVi(status)},
          {"article_count", d.article_count}};
}

json::object ArticleJson(const services::LegalArticleView& a) {
  json::array citations;
  for (std::size_t i = 0; i < a.citations.size(); ++i) {
    const auto& c = a.citations[i];
    citations.push_back(json::object{{"start", text::Utf16Offset(a.part.body, c.begin)},
                                     {"end", text::Utf16Offset(a.part.body, c.end)},
                                     {"article_id", OptId(a.citation_articles[i])},
                                     {"document_id", OptId(c.legal_id)}});
  }
  return {{"id", a.part.id},       {"number", a.part.number}, {"label", search::PartLabel(a.part)},
          {"title", a.part.title}, {"text", a.part.body},     {"citations", std::move(citations)}};
}

json::object FacetsJson(
    const std::vector<std::pair<std::string, std::vector<services::FacetCount>>>& facets) {
  json::object out;
  for (const auto& [name, list] : facets) {
    json::array a;
    for (const auto& f : list) {
      a.push_back(json::object{{"value", f.value}, {"label", f.label}, {"count", f.count}});
    }
    out[name] = std::move(a);
  }
  return out;
}

}  // namespace

Response Routes::Search(Request& req) {
  services::SearchInput in;
  in.q = QueryParam(req, "q").value_or("");
  in.prefix = QueryParam(req, "prefix").value_or("") == "true";
  in.match_all = QueryParam(req, "match").value_or("all") != "any";
  in.by_date = QueryParam(req, "sort").value_or("relevance") == "date";
  in.facets = QueryParam(req, "facets").value_or("true") != "false";
  in.kinds = ListParam(req, "kind");
  in.types = ListParam(req, "type");
  in.issuers = ListParam(req, "issuer");
  in.states = ListParam(req, "state");
  in.statuses = ListParam(req, "status");
  for (const auto& c : ListParam(req, "classification")) {
    auto v = ParseClassification(c);
    if (!v) {
      return Problem(Error::Invalid("classification", "unknown_classification",
                                    "No classification is called " + c + "."));
    }
    in.classifications.push_back(static_cast<int>(*v));
  }
  auto years = IntList<int>(req, "year");
  if (!years.ok()) return Problem(years.error());
  in.years = *years;
  auto units = IntList<Id>(req, "unit_id");
  if (!units.ok()) return Problem(units.error());
  in.unit_ids = *units;
  auto on = QueryDate(req, "on");
  if (!on.ok()) return Problem(on.error());
  in.on = *on;
  in.cursor = QueryParam(req, "cursor");
  auto limit = QueryInt(req, "limit");
  if (!limit.ok()) return Problem(limit.error());
  in.limit = static_cast<int>(limit->value_or(20));
  return Reply(services_.Search(ActorOf(req), in), [](const services::SearchResult& r) {
    json::array items;
    for (const auto& s : r.items) {
      const auto& h = s.hit;
      items.push_back(json::object{
          {"kind", h.kind},
          {"id", h.ref_id},
          {"document_id", OptId(s.legal_id)},
          {"number_symbol", h.number_symbol},
          {"title", h.title},
          {"title_marks", MarksJson(s.title)},
          {"snippet_marks", MarksJson(s.snippet)},
          {"date", OptDate(h.on_date)},
          {"unit_name", s.unit_name.empty() ? json::value(nullptr) : json::value(s.unit_name)},
          {"state", h.kind == "document" ? json::value(h.state) : json::value(nullptr)},
          {"classification", ClassificationName(h.classification)},
          {"type_name", h.type},
          {"issuer", h.issuer},
          {"status", StatusJson(s.status)},
          {"article_label",
           s.article_label.empty() ? json::value(nullptr) : json::value(s.article_label)}});
    }
    return json::object{
        {"items", std::move(items)},
        {"total", r.total},
        {"total_exact", r.total_exact},
        {"facets", FacetsJson(r.facets)},
        {"next_cursor", r.next_cursor ? json::value(*r.next_cursor) : json::value(nullptr)}};
  });
}

Response Routes::ListLegal(Request& req) {
  services::LegalListInput in;
  in.q = QueryParam(req, "q").value_or("");
  in.types = ListParam(req, "type");
  in.issuers = ListParam(req, "issuer");
  in.fields = ListParam(req, "field");
  in.statuses = ListParam(req, "status");
  auto years = IntList<int>(req, "year");
  if (!years.ok()) return Problem(years.error());
  in.years = *years;
  auto on = QueryDate(req, "on");
  if (!on.ok()) return Problem(on.error());
  in.on = *on;
  auto page = PageRequestOf(req);
  if (!page.ok()) return Problem(page.error());
  in.cursor = page->cursor;
  in.limit = page->limit;
  return Reply(services_.ListLegal(ActorOf(req), in), [](const auto& p) {
    return PageJson(p, [](const services::LegalListItem& i) { return LegalItem(i.doc, i.status); });
  });
}

Response Routes::LegalFacets(Request& req) {
  return Reply(services_.LegalFacets(ActorOf(req)), [](const auto& facets) {
    std::vector<std::pair<std::string, std::vector<services::FacetCount>>> list(facets.begin(),
                                                                                facets.end());
    return FacetsJson(list);
  });
}

Response Routes::GetLegal(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto on = QueryDate(req, "on");
  if (!on.ok()) return Problem(on.error());
  return Reply(services_.GetLegal(ActorOf(req), *id, *on),
               [](const services::LegalDocumentView& v) {
                 json::object o = LegalItem(v.doc, v.status);
                 o["status_on"] = FormatDate(v.status_on);
                 json::array relations;
                 for (const auto& r : v.relations) {
                   const bool has_other = r.other.has_value();
                   relations.push_back(json::object{
                       {"kind", r.relation.kind},
                       {"direction", r.incoming ? "in" : "out"},
                       {"label", RelationLabelVi(r.relation.kind, r.incoming)},
                       {"other_id", has_other ? json::value(r.other->id) : json::value(nullptr)},
                       {"other_number_symbol",
                        has_other ? r.other->number_symbol : r.relation.to_number_symbol},
                       {"other_title", has_other ? r.other->title : r.relation.to_title}});
                 }
                 o["relations"] = std::move(relations);
                 json::array outline;
                 int depth_of_dieu = 0;
                 for (const auto& p : v.outline) {
                   int depth = 0;
                   if (p.level == "chuong") depth = 1;
                   if (p.level == "muc") depth = 2;
                   if (p.level == "dieu") depth = depth_of_dieu;
                   if (p.level != "dieu") depth_of_dieu = depth + 1;
                   const std::string label = search::PartLabel(p);
                   outline.push_back(json::object{
                       {"level", p.level},
                       {"label", label},
                       {"title", p.title},
                       {"article_id", p.level == "dieu" ? json::value(p.id) : json::value(nullptr)},
                       {"depth", depth}});
                 }
                 o["outline"] = std::move(outline);
                 json::array articles;
                 for (const auto& a : v.articles) articles.push_back(ArticleJson(a));
                 o["articles"] = std::move(articles);
                 return o;
               });
}

Response Routes::GetArticle(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  return Reply(services_.GetArticle(ActorOf(req), *id), [](const auto& p) {
    json::object o = ArticleJson(p.first);
    o["document_id"] = p.second.id;
    o["document_title"] = p.second.title;
    o["document_number_symbol"] = p.second.number_symbol;
    return o;
  });
}

Response Routes::Import(Request& req) {
  const std::string name = QueryParam(req, "file_name").value_or("");
  BodyView body(req);
  if (!body.ok()) return Problem(MakeError(ErrorCode::kUnavailable, "The upload was lost."));
  return Reply(
      services_.ImportLegal(ActorOf(req), name, std::string(body.bytes())),
      [](const services::LegalImportResult& r) {
        return json::object{{"documents", r.documents}, {"articles", r.articles}};
      },
      201);
}

}  // namespace chancery::search
