#include "modules/search/legal_import.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <sstream>

#include "core/world.h"
#include "lib/extract/extract.h"
#include "lib/text/tokens.h"
#include "modules/search/legal_text.h"

namespace chancery::search {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxDocuments = 10'000;
constexpr std::size_t kMaxArticles = 20'000;
constexpr std::size_t kMaxField = 2'000;

Error Bad(const std::string& file, const std::string& where, const std::string& what) {
  return Error::Invalid("file", "bad_legal_file",
                        file + (where.empty() ? "" : ", " + where) + ": " + what);
}

// A day as files write it: 2020-03-05, 05/03/2020 or 05-03-2020.
std::optional<Date> DayOf(std::string_view s) {
  Date d;
  if (ParseDate(std::string(s), &d)) return d;
  if (s.size() == 10 && (s[2] == '/' || s[2] == '-') && (s[5] == '/' || s[5] == '-')) {
    const std::string iso = std::string(s.substr(6, 4)) + "-" + std::string(s.substr(3, 2)) + "-" +
                            std::string(s.substr(0, 2));
    if (ParseDate(iso, &d)) return d;
  }
  return std::nullopt;
}

// The type of a legal document from its title or number ("Luật …", "…/NĐ-CP").
std::string TypeOf(const std::string& title, const std::string& number) {
  const auto words = text::Tokenize(text::Nfc(title), 3);
  auto first = [&](std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n && i < words.size(); ++i) out += (i ? " " : "") + words[i].folded;
    return out;
  };
  static const std::pair<std::string_view, std::string_view> kByTitle[] = {
      {"bo luat", "Bộ luật"},       {"hien phap", "Hiến pháp"},   {"nghi dinh", "Nghị định"},
      {"thong tu", "Thông tư"},     {"quyet dinh", "Quyết định"}, {"chi thi", "Chỉ thị"},
      {"nghi quyet", "Nghị quyết"}, {"cong van", "Công văn"},     {"phap lenh", "Pháp lệnh"}};
  for (const auto& [folded, name] : kByTitle) {
    if (first(2) == folded) return std::string(name);
  }
  if (first(1) == "luat") return "Luật";
  const auto n = text::Tokenize(text::Nfc(number));
  for (const auto& t : n) {
    if (t.folded == "qh" || t.folded.starts_with("qh1")) return "Luật";
    if (t.folded == "nd") return "Nghị định";
    if (t.folded == "tt" || t.folded == "ttlt") return "Thông tư";
    if (t.folded == "qd") return "Quyết định";
    if (t.folded == "ct") return "Chỉ thị";
  }
  return "";
}

Result<std::string> Str(const json::object& o, std::string_view key, const std::string& file,
                        const std::string& where, bool required = false) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return Bad(file, where, "\"" + std::string(key) + "\" is missing");
    return std::string();
  }
  if (!v->is_string()) return Bad(file, where, "\"" + std::string(key) + "\" is not text");
  std::string s(v->as_string());
  if (s.size() > kMaxField && key != "text") {
    return Bad(file, where, "\"" + std::string(key) + "\" is too long");
  }
  if (required && s.empty()) return Bad(file, where, "\"" + std::string(key) + "\" is empty");
  return text::Nfc(s);
}

Result<std::optional<Date>> DayField(const json::object& o, std::string_view key,
                                     const std::string& file, const std::string& where) {
  CHY_TRY(std::string s, Str(o, key, file, where));
  if (s.empty()) return std::optional<Date>{};
  auto d = DayOf(s);
  if (!d) return Bad(file, where, "\"" + std::string(key) + "\" is not a date: " + s);
  return std::optional<Date>{d};
}

// "Điều 5" title line, then the body: an ALQAC article's text.
LegalPart ArticleOf(int ordinal, const std::string& number, const std::string& text) {
  LegalPart p;
  p.ordinal = ordinal;
  p.level = "dieu";
  p.number = number;
  const auto nl = text.find('\n');
  p.title = text.substr(0, nl);
  if (nl != std::string::npos) {
    p.body = text.substr(nl + 1);
    p.body.erase(0, p.body.find_first_not_of("\n\r "));
  }
  return p;
}

Result<std::vector<LegalInput>> ReadAlqac(const std::string& file, const json::array& laws) {
  std::vector<LegalInput> out;
  std::size_t articles = 0;
  for (std::size_t i = 0; i < laws.size(); ++i) {
    const std::string where = "law " + std::to_string(i + 1);
    if (!laws[i].is_object()) return Bad(file, where, "not an object");
    const auto& o = laws[i].as_object();
    LegalInput in;
    CHY_TRY(in.doc.title, Str(o, "id", file, where, true));
    in.doc.type_name = TypeOf(in.doc.title, "");
    in.has_text = true;
    const auto* list = o.if_contains("articles");
    if (!list || !list->is_array()) return Bad(file, where, "\"articles\" is not a list");
    for (const auto& a : list->as_array()) {
      if (!a.is_object()) return Bad(file, where, "an article is not an object");
      const std::string at = in.doc.title + ", article " + std::to_string(in.parts.size() + 1);
      CHY_TRY(std::string number, Str(a.as_object(), "id", file, at, true));
      CHY_TRY(std::string text,
              Str(a.as_object(), "text", file, "Điều " + number + " of " + in.doc.title, true));
      if (++articles > kMaxArticles) return Bad(file, at, "too many articles");
      in.parts.push_back(ArticleOf(static_cast<int>(in.parts.size()) + 1, number, text));
    }
    out.push_back(std::move(in));
  }
  return out;
}

Result<LegalInput> ReadOurs(const std::string& file, const json::object& o,
                            const std::string& where) {
  LegalInput in;
  auto& d = in.doc;
  CHY_TRY(d.title, Str(o, "title", file, where, true));
  CHY_TRY(d.number_symbol, Str(o, "number_symbol", file, where));
  CHY_TRY(d.type_name, Str(o, "type", file, where));
  if (d.type_name.empty()) d.type_name = TypeOf(d.title, d.number_symbol);
  CHY_TRY(d.issuer, Str(o, "issuer", file, where));
  CHY_TRY(d.signer, Str(o, "signer", file, where));
  CHY_TRY(d.field, Str(o, "field", file, where));
  CHY_TRY(d.signed_date, DayField(o, "signed_date", file, where));
  CHY_TRY(d.effective_date, DayField(o, "effective_date", file, where));
  CHY_TRY(d.expiry_date, DayField(o, "expiry_date", file, where));
  CHY_TRY(d.partly_expired_date, DayField(o, "partly_expired_date", file, where));
  if (d.effective_date && d.expiry_date && *d.expiry_date < *d.effective_date) {
    return Bad(file, where, "\"expiry_date\" is before \"effective_date\"");
  }
  CHY_TRY(std::string text, Str(o, "text", file, where));
  if (!text.empty()) {
    in.has_text = true;
    in.parts = ParseLegalText(text);
  }
  if (const auto* list = o.if_contains("articles"); list && !list->is_null()) {
    if (!list->is_array()) return Bad(file, where, "\"articles\" is not a list");
    in.has_text = true;
    for (const auto& a : list->as_array()) {
      const std::string at = where + ", article " + std::to_string(in.parts.size() + 1);
      if (!a.is_object()) return Bad(file, at, "not an object");
      CHY_TRY(std::string number, Str(a.as_object(), "number", file, at, true));
      CHY_TRY(std::string title, Str(a.as_object(), "title", file, "Điều " + number));
      CHY_TRY(std::string body, Str(a.as_object(), "text", file, "Điều " + number, true));
      LegalPart p;
      p.ordinal = static_cast<int>(in.parts.size()) + 1;
      p.level = "dieu";
      p.number = number;
      p.title = title;
      p.body = body;
      in.parts.push_back(std::move(p));
    }
  }
  if (const auto* list = o.if_contains("relations"); list && !list->is_null()) {
    if (!list->is_array()) return Bad(file, where, "\"relations\" is not a list");
    for (const auto& r : list->as_array()) {
      const std::string at = where + ", relation " + std::to_string(in.relations.size() + 1);
      if (!r.is_object()) return Bad(file, at, "not an object");
      LegalRelation rel;
      CHY_TRY(rel.kind, Str(r.as_object(), "kind", file, at, true));
      if (!IsRelationKind(rel.kind)) return Bad(file, at, "no relation is called " + rel.kind);
      CHY_TRY(rel.to_number_symbol, Str(r.as_object(), "number_symbol", file, at));
      CHY_TRY(rel.to_title, Str(r.as_object(), "title", file, at));
      if (rel.to_number_symbol.empty() && rel.to_title.empty()) {
        return Bad(file, at, "names no document (number_symbol or title)");
      }
      rel.to_key = LegalKey(rel.to_number_symbol, rel.to_title);
      in.relations.push_back(std::move(rel));
    }
  }
  return in;
}

// A procedure (thủ tục hành chính): the legal bases it names, metadata only.
Result<std::vector<LegalInput>> ReadProcedure(const std::string& file, const json::object& o) {
  std::vector<LegalInput> out;
  const auto* tables = o.if_contains("tables");
  if (!tables || !tables->is_object()) return out;
  const auto* bases = tables->as_object().if_contains("can_cu_phap_ly");
  if (!bases || !bases->is_array()) return out;
  for (const auto& b : bases->as_array()) {
    const std::string where = "legal basis " + std::to_string(out.size() + 1);
    if (!b.is_object()) return Bad(file, where, "not an object");
    const auto& bo = b.as_object();
    LegalInput in;
    CHY_TRY(std::string number, Str(bo, "so_ky_hieu", file, where));
    CHY_TRY(std::string summary, Str(bo, "trich_yeu", file, where, true));
    // "Luật 47/2014/QH13": the number is the last word with a slash.
    const auto space = number.rfind(' ');
    if (space != std::string::npos) number = number.substr(space + 1);
    if (number.find('/') == std::string::npos) number.clear();  // "12": not a number/symbol
    in.doc.number_symbol = number;
    in.doc.title = summary;
    in.doc.type_name = TypeOf(summary, number);
    CHY_TRY(in.doc.issuer, Str(bo, "co_quan_ban_hanh", file, where));
    CHY_TRY(in.doc.signed_date, DayField(bo, "ngay_ban_hanh", file, where));
    out.push_back(std::move(in));
  }
  return out;
}

// CSV: a header line naming columns of this project's JSON (title required).
Result<std::vector<LegalInput>> ReadCsv(const std::string& file, const std::string& bytes) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (quoted) {
      if (c == '"' && i + 1 < bytes.size() && bytes[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n') {
      if (!cell.empty() && cell.back() == '\r') cell.pop_back();
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      cell += c;
    }
  }
  if (quoted) return Bad(file, "line " + std::to_string(rows.size() + 1), "a quote is not closed");
  if (!cell.empty() || !row.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return Bad(file, "", "the file is empty");
  const auto header = rows.front();
  static const std::set<std::string> kColumns{
      "number_symbol",  "title",       "type",
      "issuer",         "signer",      "signed_date",
      "effective_date", "expiry_date", "partly_expired_date",
      "field",          "text"};
  for (const auto& h : header) {
    if (!kColumns.count(h)) return Bad(file, "line 1", "no column is called \"" + h + "\"");
  }
  std::vector<LegalInput> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].size() == 1 && rows[i][0].empty()) continue;
    const std::string where = "line " + std::to_string(i + 1);
    if (rows[i].size() != header.size()) {
      return Bad(file, where,
                 std::to_string(rows[i].size()) + " cells where the header has " +
                     std::to_string(header.size()));
    }
    json::object o;
    for (std::size_t k = 0; k < header.size(); ++k) {
      if (!rows[i][k].empty()) o[header[k]] = rows[i][k];
    }
    CHY_TRY(LegalInput in, ReadOurs(file, o, where));
    out.push_back(std::move(in));
  }
  return out;
}

// One document's plain text: "Số: 30/2020/NĐ-CP", the type line ("NGHỊ
// ĐỊNH"), the title line after it, then its parts.
Result<std::vector<LegalInput>> ReadText(const std::string& file, const std::string& text) {
  LegalInput in;
  std::istringstream lines(text);
  std::string line, type_line;
  while (std::getline(lines, line)) {
    const auto words = text::Tokenize(text::Nfc(line), 3);
    if (words.empty()) continue;
    if (words[0].folded == "so" && in.doc.number_symbol.empty()) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string n = line.substr(colon + 1);
        n.erase(0, n.find_first_not_of(" \t"));
        n.erase(n.find_last_not_of(" \t\r") + 1);
        in.doc.number_symbol = n;
      }
      continue;
    }
    if (type_line.empty() && !TypeOf(line, "").empty() && line.find("Điều") == std::string::npos) {
      type_line = line;
      std::string title;
      if (std::getline(lines, title)) in.doc.title = text::Nfc(type_line + " " + title);
      break;
    }
  }
  if (in.doc.title.empty())
    return Bad(file, "", "no title line (such as \"LUẬT\" or \"NGHỊ ĐỊNH\") was found");
  in.doc.type_name = TypeOf(in.doc.title, in.doc.number_symbol);
  in.has_text = true;
  in.parts = ParseLegalText(text);
  if (in.parts.empty()) return Bad(file, "", "no article (\"Điều 1.\") was found");
  std::vector<LegalInput> out;
  out.push_back(std::move(in));
  return out;
}

}  // namespace

bool IsRelationKind(std::string_view kind) {
  for (std::string_view k :
       {"based_on", "guides", "amends", "replaces", "repeals", "repeals_part", "consolidates"}) {
    if (k == kind) return true;
  }
  return false;
}

std::string_view RelationLabelVi(std::string_view kind, bool incoming) {
  if (kind == "based_on") return incoming ? "Là căn cứ của" : "Căn cứ";
  if (kind == "guides") return incoming ? "Được hướng dẫn bởi" : "Hướng dẫn";
  if (kind == "amends") return incoming ? "Được sửa đổi, bổ sung bởi" : "Sửa đổi, bổ sung";
  if (kind == "replaces") return incoming ? "Bị thay thế bởi" : "Thay thế";
  if (kind == "repeals") return incoming ? "Bị bãi bỏ bởi" : "Bãi bỏ";
  if (kind == "repeals_part") return incoming ? "Bị bãi bỏ một phần bởi" : "Bãi bỏ một phần";
  if (kind == "consolidates") return incoming ? "Được hợp nhất bởi" : "Hợp nhất";
  return "";
}

Result<std::vector<LegalInput>> ReadLegalFile(const std::string& file, const std::string& bytes,
                                              const TextOf& text_of) {
  if (bytes.empty()) return Bad(file, "", "the file is empty");
  auto ends = [&](std::string_view ext) {
    return file.size() >= ext.size() &&
           std::equal(ext.rbegin(), ext.rend(), file.rbegin(), [](char a, char b) {
             return a == std::tolower(static_cast<unsigned char>(b));
           });
  };
  std::vector<LegalInput> out;
  if (ends(".csv")) {
    CHY_TRY(out, ReadCsv(file, bytes));
  } else if (ends(".txt")) {
    CHY_TRY(out, ReadText(file, bytes));
  } else if (ends(".pdf") || ends(".docx")) {
    // The name says which; the bytes must agree before a reader sees them.
    const auto want = ends(".pdf") ? extract::Format::kPdf : extract::Format::kDocx;
    if (extract::FormatOf(bytes) != want) {
      return Bad(file, "", ends(".pdf") ? "not a PDF" : "not a DOCX");
    }
    if (!text_of) return Bad(file, "", "PDF and DOCX files are not read here");
    auto text = text_of(bytes);
    if (!text.ok()) {
      const auto& e = text.error();
      return Bad(file, "", e.fields.empty() ? e.message : e.fields[0].message);
    }
    CHY_TRY(out, ReadText(file, text::Nfc(*text)));
  } else if (ends(".json")) {
    std::error_code ec;
    json::value v = json::parse(bytes, ec);
    if (ec) return Bad(file, "", "not JSON (" + ec.message() + ")");
    if (v.is_array()) {
      CHY_TRY(out, ReadAlqac(file, v.as_array()));
    } else if (v.is_object() && v.as_object().contains("thu_tuc_id")) {
      CHY_TRY(out, ReadProcedure(file, v.as_object()));
    } else if (v.is_object() && v.as_object().contains("documents")) {
      const auto& list = v.as_object().at("documents");
      if (!list.is_array()) return Bad(file, "", "\"documents\" is not a list");
      for (const auto& d : list.as_array()) {
        const std::string where = "document " + std::to_string(out.size() + 1);
        if (!d.is_object()) return Bad(file, where, "not an object");
        CHY_TRY(LegalInput in, ReadOurs(file, d.as_object(), where));
        out.push_back(std::move(in));
      }
    } else {
      return Bad(file, "", "neither an ALQAC corpus, a procedure, nor {\"documents\": [...]}");
    }
  } else {
    return Bad(file, "", "only .json, .csv, .txt, .pdf and .docx files are read");
  }
  if (out.size() > kMaxDocuments) return Bad(file, "", "more than 10,000 documents");
  for (auto& in : out) {
    in.doc.key = LegalKey(in.doc.number_symbol, in.doc.title);
    in.doc.source = file;
    for (std::size_t i = 0; i < in.parts.size(); ++i) {
      in.parts[i].ordinal = static_cast<int>(i) + 1;
      if (in.parts[i].level == "dieu" && in.parts[i].body.empty() && in.parts[i].title.empty()) {
        return Bad(file, "Điều " + in.parts[i].number + " of " + in.doc.title,
                   "the article is empty");
      }
    }
  }
  return out;
}

Result<int> PutArticleEntries(sql::Connection& c, const LegalDocument& d, bool bulk) {
  CHY_TRY(auto parts, LegalStore(c).Parts(d.id));
  Index index(c);
  // One bulk write of the articles (Index::BeginBulk): one trigger an
  // article took minutes for a law of 2,000 articles at 1 M documents.
  Id first = 0, last = 0;
  for (const auto& p : parts) {
    if (p.level != "dieu") continue;
    first = first ? std::min(first, p.id) : p.id;
    last = std::max(last, p.id);
  }
  if (!last) return 0;
  if (bulk) CHY_TRY_STATUS(index.BeginBulk("article", first - 1, last));
  std::string path;
  int n = 0;
  for (const auto& p : parts) {
    if (p.level != "dieu") {
      path = PartLabel(p) + (p.title.empty() ? "" : " " + p.title);
      continue;
    }
    Entry a;
    a.kind = "article";
    a.ref_id = p.id;
    a.legal_id = d.id;
    // "Điều 5" is shown, not indexed: its number would match any number
    // in a query ("5 năm"); citations find articles by number.
    a.label = PartLabel(p) + ". ";
    a.title = p.title;
    a.number_symbol = d.number_symbol;
    for (const auto& term : DefinedTerms(p)) a.terms += term + "\n";
    a.context = d.title + " " + path;
    a.body = p.body;
    a.on_date = d.signed_date;
    a.type = d.type_name;
    a.issuer = d.issuer;
    CHY_TRY_STATUS(index.Put(a));
    ++n;
  }
  if (bulk) CHY_TRY_STATUS(index.EndBulk("article", first - 1, last));
  return n;
}

Status IndexDefinedTerms(sql::Connection& c) {
  CHY_TRY(auto all, LegalStore(c).All());
  for (const auto& d : all) {
    CHY_TRY(int n, PutArticleEntries(c, d, false));
    (void)n;
  }
  return Ok();
}

Result<StoredLegal> StoreLegal(store::Tx& tx, const LegalInput& in, Timestamp now) {
  LegalStore legal(tx);
  Index index(tx);
  StoredLegal out;
  CHY_TRY(auto existing, legal.ByKey(in.doc.key));
  LegalDocument d = in.doc;
  if (existing && !in.has_text) {
    auto keep = [](std::string& mine, const std::string& theirs) {
      if (mine.empty()) mine = theirs;
    };
    if (existing->title.size() > d.title.size()) d.title = existing->title;
    keep(d.type_name, existing->type_name);
    keep(d.issuer, existing->issuer);
    keep(d.signer, existing->signer);
    keep(d.field, existing->field);
    if (!d.signed_date) d.signed_date = existing->signed_date;
    if (!d.effective_date) d.effective_date = existing->effective_date;
    if (!d.expiry_date) d.expiry_date = existing->expiry_date;
    d.source = existing->source;
  }
  CHY_TRY(out.id, legal.Upsert(d, now));
  Entry e;
  e.kind = "legal";
  e.ref_id = out.id;
  e.legal_id = out.id;
  e.title = d.title;
  e.number_symbol = d.number_symbol;
  e.context = d.type_name + " " + d.issuer + " " + d.signer + " " + d.field;
  e.on_date = d.signed_date;
  e.type = d.type_name;
  e.issuer = d.issuer;
  CHY_TRY_STATUS(index.Put(e));
  if (in.has_text) {
    CHY_TRY_STATUS(legal.ReplaceParts(out.id, in.parts));
    d.id = out.id;
    CHY_TRY(out.articles, PutArticleEntries(tx.connection(), d, true));
  }
  for (auto r : in.relations) {
    r.from_id = out.id;
    CHY_TRY_STATUS(legal.AddRelation(r));
  }
  return out;
}

}  // namespace chancery::search
