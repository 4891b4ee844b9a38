#include "modules/search/legal_text.h"

#include <algorithm>

#include "lib/text/tokens.h"

namespace chancery::search {

namespace {

bool IsNumber(std::string_view w) { return !w.empty() && w.front() >= '0' && w.front() <= '9'; }

bool IsRoman(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return c == 'i' || c == 'v' || c == 'x' || c == 'l' || c == 'c';
  });
}

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r.:-–");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// "Điều 5. Phạm vi" → {"dieu", "5", "Phạm vi"}; not a heading → level "".
struct Heading {
  std::string level, number, title;
};

Heading HeadingOf(std::string_view line) {
  const std::string nfc = text::Nfc(line);
  const auto tokens = text::Tokenize(nfc, 4);
  if (tokens.size() < 2) return {};
  const std::string& first = tokens[0].folded;
  std::string level;
  if (first == "dieu") level = "dieu";
  if (first == "chuong") level = "chuong";
  if (first == "muc") level = "muc";
  if (first == "phan") level = "phan";
  if (level.empty() || tokens[0].begin > 3) return {};
  std::size_t number_at = 1;
  if (level == "phan" && tokens[1].folded == "thu" && tokens.size() > 2) number_at = 2;
  const auto& n = tokens[number_at];
  const bool numbered = IsNumber(n.folded) || (level != "dieu" && IsRoman(n.folded)) ||
                        (level == "phan" && number_at == 2);
  if (!numbered) return {};
  // A sentence that starts with "Điều 5 của Luật này ..." is not a heading:
  // the number is followed by the end, a full stop, a colon or a title.
  const std::string_view rest = std::string_view(nfc).substr(n.end);
  if (level == "dieu" && !rest.empty() && rest.front() != '.' && rest.front() != ':' &&
      rest.front() != ' ') {
    return {};
  }
  std::string number = std::string(nfc.substr(n.begin, n.end - n.begin));
  if (level != "dieu") std::transform(number.begin(), number.end(), number.begin(), ::toupper);
  return {
      level,
      number_at == 2 ? std::string(nfc.substr(tokens[1].begin, n.end - tokens[1].begin)) : number,
      Trim(rest)};
}

}  // namespace

std::vector<LegalPart> ParseLegalText(std::string_view text) {
  std::vector<LegalPart> parts;
  std::size_t at = 0;
  bool wants_title = false;
  while (at <= text.size()) {
    const std::size_t nl = text.find('\n', at);
    const std::string_view line =
        text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    at = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    const std::string trimmed = Trim(line);
    if (trimmed.empty()) continue;
    Heading h = HeadingOf(trimmed);
    if (!h.level.empty()) {
      LegalPart p;
      p.ordinal = static_cast<int>(parts.size()) + 1;
      p.level = h.level;
      p.number = h.number;
      p.title = h.title;
      wants_title = p.title.empty() && p.level != "dieu";
      parts.push_back(std::move(p));
      continue;
    }
    if (parts.empty()) continue;
    LegalPart& last = parts.back();
    if (wants_title) {
      last.title = trimmed;
      wants_title = false;
      continue;
    }
    if (last.level != "dieu") continue;  // a heading's further lines
    if (!last.body.empty()) last.body += '\n';
    last.body += trimmed;
  }
  return parts;
}

namespace {

// The longest document of `known` whose title or number starts at words[i]
// (the number may follow "số"); `end` gets the word after it.
std::optional<Id> DocumentAt(const std::vector<text::Token>& words, std::size_t i,
                             const std::vector<KnownDocument>& known, std::size_t* end) {
  std::optional<Id> best;
  std::size_t best_end = i;
  auto try_match = [&](const std::vector<std::string>& seq, std::size_t from, Id id) {
    if (seq.empty() || from + seq.size() > words.size()) return;
    for (std::size_t k = 0; k < seq.size(); ++k) {
      if (words[from + k].folded != seq[k]) return;
    }
    if (from + seq.size() > best_end) {
      best_end = from + seq.size();
      best = id;
    }
  };
  for (const auto& d : known) {
    try_match(d.title, i, d.id);
    // "Nghị định số 30/2020/NĐ-CP", "Luật 47/2014/QH13": a type word or two, "số", the number.
    for (std::size_t skip = 0; skip <= 4 && i + skip < words.size(); ++skip) {
      try_match(d.number, i + skip, d.id);
      if (IsNumber(words[i + skip].folded)) break;
    }
  }
  if (best) *end = best_end;
  return best;
}

bool IsDocumentWord(std::string_view w) {
  for (std::string_view t : {"luat", "bo", "nghi", "thong", "quyet", "chi", "hien", "phap"}) {
    if (w == t) return true;
  }
  return false;
}

}  // namespace

std::vector<Citation> FindCitations(std::string_view nfc, const std::vector<KnownDocument>& known) {
  const auto words = text::Tokenize(nfc);
  std::vector<Citation> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i].folded;
    if (w == "dieu" && i + 1 < words.size() && IsNumber(words[i + 1].folded)) {
      Citation c;
      std::size_t start = i;
      if (start >= 2 && words[start - 2].folded == "khoan" && IsNumber(words[start - 1].folded)) {
        start -= 2;
      }
      if (start >= 2 && words[start - 2].folded == "diem" && words[start - 1].folded.size() <= 2) {
        start -= 2;
      }
      c.begin = words[start].begin;
      c.article = words[i + 1].exact;
      std::size_t j = i + 2;
      c.end = words[i + 1].end;
      if (j < words.size() && (words[j].folded == "cua" || words[j].folded == "tai")) ++j;
      std::size_t end = j;
      if (auto id = DocumentAt(words, j, known, &end)) {
        c.legal_id = id;
        c.end = words[end - 1].end;
      } else if (j + 1 < words.size() && IsDocumentWord(words[j].folded) &&
                 (words[j + 1].folded == "nay" ||
                  (j + 2 < words.size() && words[j + 2].folded == "nay"))) {
        c.own = true;
        c.end = words[words[j + 1].folded == "nay" ? j + 1 : j + 2].end;
      } else {
        c.own = true;
      }
      out.push_back(c);
      i = std::max(i + 1, end > 0 ? end - 1 : i);
      continue;
    }
    if (IsDocumentWord(w)) {
      std::size_t end = i;
      if (auto id = DocumentAt(words, i, known, &end)) {
        Citation c;
        c.begin = words[i].begin;
        c.end = words[end - 1].end;
        c.legal_id = id;
        out.push_back(c);
        i = end - 1;
      }
    }
  }
  return out;
}

std::vector<Id> MentionedDocuments(std::string_view nfc, const std::vector<KnownDocument>& known) {
  std::vector<Id> out;
  for (const auto& c : FindCitations(nfc, known)) {
    if (c.legal_id && std::find(out.begin(), out.end(), *c.legal_id) == out.end()) {
      out.push_back(*c.legal_id);
    }
  }
  return out;
}

std::vector<std::string> DefinedTerms(const LegalPart& article) {
  std::vector<std::string> out;
  if (article.level != "dieu") return out;
  std::string title;
  for (const auto& t : text::Tokenize(text::Nfc(article.title))) title += t.folded + " ";
  if (title.find("giai thich tu ngu") == std::string::npos) return out;
  const std::string body = text::Nfc(article.body);
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = body.find('\n', at);
    if (end == std::string::npos) end = body.size();
    const std::string_view line(body.data() + at, end - at);
    at = end + 1;
    // "12. Term là …": a clause's number, then its term.
    std::size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    if (i == 0 || i + 1 >= line.size() || line[i] != '.' || line[i + 1] != ' ') continue;
    const auto tokens = text::Tokenize(line.substr(i + 2), 16);
    for (std::size_t k = 1; k < tokens.size() && k <= 12; ++k) {
      const bool is =
          tokens[k].exact == "là" || (tokens[k].exact == "gồm" && tokens[k - 1].exact != "bao") ||
          (tokens[k].exact == "bao" && k + 1 < tokens.size() && tokens[k + 1].exact == "gồm");
      if (!is) continue;
      const std::string_view rest = line.substr(i + 2);
      out.emplace_back(rest.substr(tokens[0].begin, tokens[k - 1].end - tokens[0].begin));
      break;
    }
  }
  return out;
}

std::string PartLabel(const LegalPart& p) {
  if (p.level == "dieu") return "Điều " + p.number;
  if (p.level == "chuong") return "Chương " + p.number;
  if (p.level == "muc") return "Mục " + p.number;
  return "Phần " + p.number;
}

}  // namespace chancery::search
