// Search over everything a person may read, and the legal-documents database.
#include "modules/search/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "lib/text/tokens.h"
#include "modules/documents/store.h"
#include "modules/org/store.h"
#include "modules/search/legal_import.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using search::LegalDocument;
using search::LegalStore;
using search::Validity;

namespace {

// How many hits are ranked before a page is cut from them.
constexpr int kRanked = 200;
// A search box's query that matches more readable entries than this ranks
// and counts the newest this many only (docs/search.md, "Many matches").
constexpr int kCandidates = 500;

// "… đúng hay sai?", "… đúng không?", "… phải không?": the tail of an exam
// question asks about the statement; it is not what the statement is about.
void DropQuestionTail(text::ParsedQuery& q) {
  static const std::vector<std::vector<std::string>> kTails = {
      {"dung", "hay", "sai"},  {"la", "dung", "hay", "sai"},
      {"co", "dung", "khong"}, {"dung", "khong"},
      {"phai", "khong"},       {"hay", "khong"}};
  for (bool dropped = true; dropped;) {
    dropped = false;
    for (const auto& tail : kTails) {
      if (q.clauses.size() <= tail.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < tail.size(); ++k) {
        const auto& c = q.clauses[q.clauses.size() - tail.size() + k];
        match = match && !c.phrase && !c.exclude && c.words.front().folded == tail[k];
      }
      if (match) {
        q.clauses.resize(q.clauses.size() - tail.size());
        dropped = true;
      }
    }
  }
  // The question words themselves ("… là gì?", "bao lâu?", "trường hợp
  // nào?") ask; the answer does not contain them. Only as spelled with
  // their marks: "bao" alone could be "bảo", "nao" could be anything.
  static const std::vector<std::vector<std::string>> kAsks = {
      {"bao", "nhiêu"}, {"bao", "lâu"}, {"thế", "nào"}, {"gì"}, {"nào"}, {"ai"}, {"đâu"}};
  auto plain = [&](std::size_t i, const std::string& exact) {
    const auto& c = q.clauses[i];
    return !c.phrase && !c.exclude && !c.prefix && c.words.front().exact == exact;
  };
  std::vector<text::QueryClause> kept;
  for (std::size_t i = 0; i < q.clauses.size();) {
    std::size_t skip = 0;
    for (const auto& ask : kAsks) {
      if (i + ask.size() > q.clauses.size()) continue;
      bool all = true;
      for (std::size_t k = 0; k < ask.size(); ++k) all = all && plain(i + k, ask[k]);
      if (all) {
        skip = ask.size();
        break;
      }
    }
    if (skip == 0) kept.push_back(q.clauses[i]);
    i += skip == 0 ? 1 : skip;
  }
  if (!kept.empty()) q.clauses = std::move(kept);
}

// The words of `nfc` as marks: a word the query asked for (folded, or a
// prefix of it while typing) is a hit, in its own spelling.
std::vector<Mark> MarksOf(const std::string& nfc, const std::set<std::string>& words,
                          const std::string& prefix, std::size_t from = 0,
                          std::size_t to = std::string::npos) {
  std::vector<Mark> out;
  to = std::min(to, nfc.size());
  std::size_t at = from;
  for (const auto& t : text::Tokenize(std::string_view(nfc).substr(0, to))) {
    if (t.begin < from) continue;
    const bool hit = words.count(t.folded) || words.count(text::FoldTelex(t.folded)) ||
                     (!prefix.empty() && t.folded.starts_with(prefix));
    if (!hit) continue;
    if (t.begin > at) out.push_back({nfc.substr(at, t.begin - at), false});
    out.push_back({nfc.substr(t.begin, t.end - t.begin), true});
    at = t.end;
  }
  if (at < to) out.push_back({nfc.substr(at, to - at), false});
  return out;
}

// About 40 words of `body` around its first hit.
std::vector<Mark> SnippetOf(const std::string& body, const std::set<std::string>& words,
                            const std::string& prefix) {
  const auto tokens = text::Tokenize(body, 20'000);
  std::size_t first = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (words.count(tokens[i].folded)) {
      first = i;
      break;
    }
  }
  if (tokens.empty()) return {};
  const std::size_t b = first >= 10 ? first - 10 : 0;
  const std::size_t e = std::min(tokens.size() - 1, b + 40);
  auto marks = MarksOf(body, words, prefix, tokens[b].begin, tokens[e].end);
  if (b > 0 && !marks.empty()) marks.front().text = "… " + marks.front().text;
  if (e + 1 < tokens.size()) marks.push_back({" …", false});
  return marks;
}

std::string KindLabel(std::string_view kind) {
  if (kind == "document") return "Văn bản";
  if (kind == "legal") return "Văn bản pháp luật";
  return "Điều";
}

Result<std::optional<Validity>> ParseStatus(const std::string& s) {
  for (Validity v : {Validity::kNotYetInForce, Validity::kInForce, Validity::kPartlyExpired,
                     Validity::kExpired}) {
    if (search::ValidityName(v) == s) return std::optional<Validity>{v};
  }
  return Error::Invalid("status", "unknown_status", "No validity status is called " + s + ".");
}

// The citations in article `a` of document `own`, each with the article it
// names when that is in the database ("Điều 5" alone: of `own`).
Status LinkCitations(LegalStore& legal, const std::vector<search::KnownDocument>& known, Id own,
                     LegalArticleView& a) {
  a.citations = search::FindCitations(a.part.body, known);
  for (auto& c : a.citations) {
    std::optional<Id> article;
    if (!c.article.empty()) {
      CHY_TRY(auto found, legal.ArticleByNumber(c.legal_id.value_or(own), c.article));
      if (found) article = found->id;
    }
    if (!c.legal_id && c.own) c.legal_id = own;
    a.citation_articles.push_back(article);
  }
  return Ok();
}

}  // namespace

Result<std::vector<search::KnownDocument>> SearchService::Known(
    store::Tx& tx, const std::vector<LegalDocument>* loaded) {
  std::vector<LegalDocument> read;
  if (!loaded) {
    CHY_TRY(read, LegalStore(tx).All());
    loaded = &read;
  }
  const auto& all = *loaded;
  std::vector<search::KnownDocument> out;
  out.reserve(all.size());
  for (const auto& d : all) {
    search::KnownDocument k;
    k.id = d.id;
    for (const auto& t : text::Tokenize(d.title, 24)) k.title.push_back(t.folded);
    for (const auto& t : text::Tokenize(d.number_symbol, 12)) k.number.push_back(t.folded);
    if (k.title.size() < 2) k.title.clear();  // "Luật" alone names nothing
    out.push_back(std::move(k));
  }
  return out;
}

Result<std::map<Id, Validity>> SearchService::Statuses(store::Tx& tx, Date on,
                                                       const std::vector<LegalDocument>* loaded) {
  LegalStore legal(tx);
  std::vector<LegalDocument> read;
  if (!loaded) {
    CHY_TRY(read, legal.All());
    loaded = &read;
  }
  const auto& all = *loaded;
  std::map<std::string, const LegalDocument*> by_key;
  for (const auto& d : all) by_key[d.key] = &d;
  std::map<Id, std::vector<std::pair<search::LegalRelation, LegalDocument>>> incoming;
  std::map<Id, const LegalDocument*> by_id;
  for (const auto& d : all) by_id[d.id] = &d;
  CHY_TRY(auto rels, legal.AllRelations());
  for (const auto& r : rels) {
    auto to = by_key.find(r.to_key);
    auto from = by_id.find(r.from_id);
    if (to != by_key.end() && from != by_id.end()) {
      incoming[to->second->id].emplace_back(r, *from->second);
    }
  }
  std::map<Id, Validity> out;
  for (const auto& d : all) out[d.id] = search::ValidityOn(d, on, incoming[d.id]);
  return out;
}

Result<SearchResult> SearchService::Search(const Actor& actor, const SearchInput& in) {
  CHY_TRY(text::ParsedQuery q, text::ParseQuery(in.q, in.prefix));
  if (!in.match_all) DropQuestionTail(q);
  std::size_t offset = 0;
  if (in.cursor) {
    auto n = ParseInt(*in.cursor);
    if (!n || *n < 0 || *n > kRanked) {
      return Error::Invalid("cursor", "bad_cursor", "Not a cursor of this search.");
    }
    offset = static_cast<std::size_t>(*n);
  }
  for (const auto& k : in.kinds) {
    if (k != "document" && k != "legal" && k != "article") {
      return Error::Invalid("kind", "unknown_kind", "No kind is called " + k + ".");
    }
  }
  std::vector<Validity> statuses;
  for (const auto& s : in.statuses) {
    CHY_TRY(auto v, ParseStatus(s));
    statuses.push_back(*v);
  }
  const int limit = std::clamp(in.limit, 1, 100);
  const Date on = in.on.value_or(Today());
  SearchResult result;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(Scope scope, ScopeOf(tx, actor));
    documents::Reader reader{actor.id, actor.clearance, scope.reach};
    std::vector<sql::Value> params;
    const search::ReadRule rule = documents::ReadableBy(reader, params);
    CHY_TRY(auto legal_documents, LegalStore(tx).All());  // read once for statuses and citations
    CHY_TRY(auto status_of, Statuses(tx, on, &legal_documents));
    search::IndexQuery iq;
    iq.query = &q;
    iq.match_all = in.match_all;
    iq.by_date = in.by_date;
    iq.kinds = in.kinds;
    iq.types = in.types;
    iq.issuers = in.issuers;
    iq.states = in.states;
    iq.years = in.years;
    iq.unit_ids = in.unit_ids;
    iq.classifications = in.classifications;
    if (!statuses.empty()) {
      std::vector<Id> ids;
      for (const auto& [id, v] : status_of) {
        if (std::find(statuses.begin(), statuses.end(), v) != statuses.end()) ids.push_back(id);
      }
      iq.legal_ids = std::move(ids);
      if (iq.kinds.empty()) iq.kinds = {"legal", "article"};
    }
    iq.limit = in.by_date ? static_cast<int>(offset) + limit + 1 : kRanked;
    iq.candidates = in.candidates > 0 ? in.candidates : kCandidates;
    search::Index index(tx);
    // The hits and the facets' counts from one query (docs/search.md).
    CHY_TRY(auto found, index.Search(iq, rule, params, in.facets));
    auto& hits = found.hits;
    // Re-rank: a document the query names by title or number ("theo Luật
    // Du lịch", "Điều 5 Luật An ninh mạng") lifts its own articles, and the
    // very article cited comes first.
    std::string nfc = text::Nfc(in.q);
    CHY_TRY(auto known, Known(tx, &legal_documents));
    const auto citations = search::FindCitations(nfc, known);
    std::set<Id> named;
    std::set<std::pair<Id, std::string>> cited;
    for (const auto& c : citations) {
      if (!c.legal_id) continue;
      named.insert(*c.legal_id);
      if (!c.article.empty()) cited.insert({*c.legal_id, c.article});
    }
    LegalStore legal(tx);
    if (!cited.empty() && !in.by_date) {
      // The cited article is a hit even when its words are not the query's.
      for (const auto& [legal_id, number] : cited) {
        CHY_TRY(auto part, legal.ArticleByNumber(legal_id, number));
        if (!part) continue;
        const bool present = std::any_of(hits.begin(), hits.end(), [&](const search::Hit& h) {
          return h.kind == "article" && h.ref_id == part->id;
        });
        if (present) continue;
        if (!in.kinds.empty() &&
            std::find(in.kinds.begin(), in.kinds.end(), "article") == in.kinds.end()) {
          continue;
        }
        CHY_TRY(LegalDocument doc, legal.Get(legal_id));
        search::Hit h;
        h.kind = "article";
        h.ref_id = part->id;
        h.legal_id = legal_id;
        h.title = search::PartLabel(*part) + ". " + part->title;
        h.number_symbol = doc.number_symbol;
        h.on_date = doc.signed_date;
        h.type = doc.type_name;
        h.issuer = doc.issuer;
        hits.push_back(std::move(h));
      }
    }
    if (!in.by_date && (!named.empty() || !cited.empty())) {
      double top = 0;
      for (const auto& h : hits) top = std::max(top, h.score);
      for (auto& h : hits) {
        if (!h.legal_id || !named.count(*h.legal_id)) continue;
        h.score += 0.35 * top;
        if (h.kind == "article") {
          CHY_TRY(auto part, legal.Part(h.ref_id));
          if (cited.count({*h.legal_id, part.number})) h.score += 2 * top + 1;
        }
      }
      std::stable_sort(hits.begin(), hits.end(), [](const search::Hit& a, const search::Hit& b) {
        return a.score > b.score;
      });
    }
    // Unit names for the facets and the page, in one query.
    std::vector<Id> unit_ids;
    for (const auto& r : found.facets) {
      if (r.unit_id) unit_ids.push_back(*r.unit_id);
    }
    for (std::size_t i = offset; i < hits.size() && i < offset + static_cast<std::size_t>(limit);
         ++i) {
      if (hits[i].unit_id) unit_ids.push_back(*hits[i].unit_id);
    }
    std::sort(unit_ids.begin(), unit_ids.end());
    unit_ids.erase(std::unique(unit_ids.begin(), unit_ids.end()), unit_ids.end());
    CHY_TRY(const auto unit_names, org::Store(tx).UnitNames(unit_ids));
    auto unit_name = [&](Id id) -> std::string {
      auto it = unit_names.find(id);
      return it != unit_names.end() ? it->second : "";
    };
    if (in.facets) {
      const auto& rows = found.facets;
      std::map<std::string, std::map<std::string, FacetCount>> facets;
      auto add = [&](const std::string& facet, const std::string& value, const std::string& label,
                     std::int64_t n) {
        if (value.empty()) return;
        auto& f = facets[facet][value];
        f.value = value;
        f.label = label;
        f.count += n;
      };
      for (const auto& r : rows) {
        result.total += r.n;
        add("kind", r.kind, KindLabel(r.kind), r.n);
        add("type", r.type, r.type, r.n);
        add("issuer", r.issuer, r.issuer, r.n);
        if (r.year) add("year", std::to_string(*r.year), std::to_string(*r.year), r.n);
        if (r.kind == "document") {
          add("state", r.state, r.state, r.n);
          if (r.unit_id) add("unit", std::to_string(*r.unit_id), unit_name(*r.unit_id), r.n);
          add("classification", std::string(ClassificationName(r.classification)),
              std::string(ClassificationLabelVi(r.classification)), r.n);
        }
        if (r.legal_id) {
          auto it = status_of.find(*r.legal_id);
          if (it != status_of.end()) {
            add("status", std::string(search::ValidityName(it->second)),
                std::string(search::ValidityLabelVi(it->second)), r.n);
          }
        }
      }
      for (const char* name :
           {"kind", "type", "issuer", "year", "state", "unit", "classification", "status"}) {
        std::vector<FacetCount> list;
        for (auto& [value, f] : facets[name]) list.push_back(f);
        std::stable_sort(list.begin(), list.end(),
                         [](const auto& a, const auto& b) { return a.count > b.count; });
        result.facets.emplace_back(name, std::move(list));
      }
      result.total_exact = !found.capped;
    } else {
      result.total = static_cast<std::int64_t>(hits.size());
      // Without facets nothing counts past the hits asked for.
      result.total_exact = !found.capped && hits.size() < static_cast<std::size_t>(iq.limit);
    }
    // The page.
    std::set<std::string> words;
    std::string prefix;
    for (const auto& c : q.clauses) {
      if (c.exclude) continue;
      for (const auto& w : c.words) {
        words.insert(w.folded);
        if (!w.telex.empty()) words.insert(w.telex);
      }
      if (c.prefix) prefix = c.words.front().folded;
    }
    for (std::size_t i = offset;
         i < hits.size() && result.items.size() < static_cast<std::size_t>(limit); ++i) {
      SearchHit out;
      out.hit = hits[i];
      out.title = MarksOf(text::Nfc(hits[i].title), words, prefix);
      if (hits[i].unit_id) out.unit_name = unit_name(*hits[i].unit_id);
      if (hits[i].legal_id) {
        auto it = status_of.find(*hits[i].legal_id);
        if (it != status_of.end()) out.status = it->second;
        out.legal_id = hits[i].legal_id;
      }
      if (hits[i].kind == "article") {
        CHY_TRY(auto part, legal.Part(hits[i].ref_id));
        out.article_label = search::PartLabel(part);
        out.snippet = SnippetOf(part.body, words, prefix);
        CHY_TRY(LegalDocument doc, legal.Get(part.legal_id));
        out.hit.number_symbol = doc.number_symbol.empty() ? doc.title : doc.number_symbol;
      }
      result.items.push_back(std::move(out));
    }
    if (offset + result.items.size() < hits.size() &&
        offset + result.items.size() < static_cast<std::size_t>(kRanked)) {
      result.next_cursor = std::to_string(offset + result.items.size());
    }
    return Ok();
  }));
  return result;
}

// ---------------------------------------------------------------- legal database

Result<Page<LegalListItem>> SearchService::ListLegal(const Actor& actor, const LegalListInput& in) {
  (void)actor;  // legal texts are read by every signed-in person
  std::size_t offset = 0;
  if (in.cursor) {
    auto n = ParseInt(*in.cursor);
    if (!n || *n < 0) return Error::Invalid("cursor", "bad_cursor", "Not a cursor of this list.");
    offset = static_cast<std::size_t>(*n);
  }
  std::vector<Validity> statuses;
  for (const auto& s : in.statuses) {
    CHY_TRY(auto v, ParseStatus(s));
    statuses.push_back(*v);
  }
  std::optional<text::ParsedQuery> q;
  if (!in.q.empty()) {
    CHY_TRY(auto parsed, text::ParseQuery(in.q));
    q = std::move(parsed);
  }
  const int limit = std::clamp(in.limit, 1, 200);
  const Date on = in.on.value_or(Today());
  Page<LegalListItem> page;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto all, LegalStore(tx).All());
    CHY_TRY(auto status_of, Statuses(tx, on, &all));
    std::optional<std::set<Id>> matching;
    if (q) {
      search::IndexQuery iq;
      iq.query = &*q;
      iq.kinds = {"legal", "article"};
      iq.limit = 1000;
      std::vector<sql::Value> params;
      search::ReadRule rule{"", "1 = 0", "NULL", "0"};
      CHY_TRY(auto hits, search::Index(tx).Find(iq, rule, params));
      matching.emplace();
      for (const auto& h : hits) {
        if (h.legal_id) matching->insert(*h.legal_id);
      }
    }
    auto in_list = [](const std::vector<std::string>& list, const std::string& v) {
      return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
    };
    std::size_t seen = 0;
    for (const auto& d : all) {
      if (matching && !matching->count(d.id)) continue;
      if (!in_list(in.types, d.type_name) || !in_list(in.issuers, d.issuer) ||
          !in_list(in.fields, d.field)) {
        continue;
      }
      const int year =
          d.signed_date ? static_cast<int>(std::chrono::year_month_day{*d.signed_date}.year()) : 0;
      if (!in.years.empty() &&
          std::find(in.years.begin(), in.years.end(), year) == in.years.end()) {
        continue;
      }
      const Validity v = status_of[d.id];
      if (!statuses.empty() && std::find(statuses.begin(), statuses.end(), v) == statuses.end()) {
        continue;
      }
      if (seen++ < offset) continue;
      if (page.items.size() == static_cast<std::size_t>(limit)) {
        page.next_cursor = std::to_string(offset + page.items.size());
        break;
      }
      page.items.push_back({d, v});
    }
    return Ok();
  }));
  return page;
}

Result<std::map<std::string, std::vector<FacetCount>>> SearchService::LegalFacets(
    const Actor& actor) {
  (void)actor;
  std::map<std::string, std::map<std::string, std::int64_t>> counts;
  std::map<std::string, std::string> status_labels;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto all, LegalStore(tx).All());
    CHY_TRY(auto status_of, Statuses(tx, Today(), &all));
    for (const auto& d : all) {
      if (!d.type_name.empty()) ++counts["type"][d.type_name];
      if (!d.issuer.empty()) ++counts["issuer"][d.issuer];
      if (!d.field.empty()) ++counts["field"][d.field];
      if (d.signed_date) {
        ++counts["year"][std::to_string(
            static_cast<int>(std::chrono::year_month_day{*d.signed_date}.year()))];
      }
      const std::string s(search::ValidityName(status_of[d.id]));
      status_labels[s] = search::ValidityLabelVi(status_of[d.id]);
      ++counts["status"][s];
    }
    return Ok();
  }));
  std::map<std::string, std::vector<FacetCount>> out;
  for (const char* name : {"type", "issuer", "field", "year", "status"}) {
    auto& list = out[name];
    for (const auto& [value, n] : counts[name]) {
      list.push_back({value, std::string(name) == "status" ? status_labels[value] : value, n});
    }
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
  }
  return out;
}

Result<LegalDocumentView> SearchService::GetLegal(const Actor& actor, Id id,
                                                  std::optional<Date> on) {
  (void)actor;
  LegalDocumentView view;
  view.status_on = on.value_or(Today());
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    LegalStore legal(tx);
    CHY_TRY(view.doc, legal.Get(id));
    CHY_TRY(auto status_of, Statuses(tx, view.status_on));
    view.status = status_of[id];
    CHY_TRY(auto out_rel, legal.RelationsFrom(id));
    for (const auto& r : out_rel) {
      LegalRelationView rv{r, false, std::nullopt};
      CHY_TRY(rv.other, legal.ByKey(r.to_key));
      view.relations.push_back(std::move(rv));
    }
    CHY_TRY(auto in_rel, legal.RelationsTo(view.doc.key));
    for (const auto& r : in_rel) {
      LegalRelationView rv{r, true, std::nullopt};
      CHY_TRY(LegalDocument other, legal.Get(r.from_id));
      rv.other = other;
      view.relations.push_back(std::move(rv));
    }
    CHY_TRY(auto parts, legal.Parts(id));
    CHY_TRY(auto known, Known(tx));
    for (auto& p : parts) {
      if (p.level == "dieu") {
        LegalArticleView a;
        a.part = p;
        CHY_TRY_STATUS(LinkCitations(legal, known, id, a));
        view.articles.push_back(std::move(a));
      }
      p.body.clear();
      view.outline.push_back(std::move(p));
    }
    view.doc.article_count = static_cast<int>(view.articles.size());
    return Ok();
  }));
  return view;
}

Result<std::pair<LegalArticleView, LegalDocument>> SearchService::GetArticle(const Actor& actor,
                                                                             Id id) {
  (void)actor;
  std::pair<LegalArticleView, LegalDocument> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    LegalStore legal(tx);
    CHY_TRY(out.first.part, legal.Part(id));
    CHY_TRY(out.second, legal.Get(out.first.part.legal_id));
    CHY_TRY(auto known, Known(tx));
    CHY_TRY_STATUS(LinkCitations(legal, known, out.second.id, out.first));
    return Ok();
  }));
  return out;
}

Result<LegalImportResult> SearchService::ImportLegal(const Actor& actor,
                                                     const std::string& file_name,
                                                     const std::string& bytes) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleClerk));
  CHY_TRY_STATUS(CheckText("file_name", file_name, 255, true));
  CHY_TRY(auto inputs, search::ReadLegalFile(file_name, bytes, text_reader_));
  LegalImportResult result;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    result = {};
    for (const auto& in : inputs) {
      CHY_TRY(auto stored, search::StoreLegal(tx, in, clock_.Now()));
      ++result.documents;
      result.articles += stored.articles;
    }
    json::object details{
        {"file_name", file_name}, {"documents", result.documents}, {"articles", result.articles}};
    return Audit(tx, &actor, "legal.import", "legal_document", std::nullopt,
                 json::serialize(details));
  }));
  return result;
}

Result<std::int64_t> SearchService::ReindexDocuments(const Actor& actor) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin));
  // In transactions of 10,000 documents, so that the WAL is written back as
  // the rebuild goes (one transaction over a million grew a 1 GB WAL and
  // re-read its pages for more than 15 minutes). Each entry is written
  // whole, so a rebuild stopped half way leaves every entry correct.
  for (std::optional<Id> after = 0; after;) {
    CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
      CHY_TRY(after, documents::IndexDocumentsAfter(tx.connection(), *after, 10'000));
      return Ok();
    }));
  }
  std::int64_t n = 0;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(search::Index(tx).Optimize());
    CHY_TRY(auto rows, tx.connection().Query(
                           "SELECT COUNT(*) FROM search_entries WHERE kind = 'document'", {}));
    n = rows.rows.at(0).Int(0);
    return Audit(tx, &actor, "search.reindex", "search", std::nullopt,
                 "{\"documents\":" + std::to_string(n) + "}");
  }));
  return n;
}

}  // namespace chancery::services
