#include "lib/text/tokens.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace chancery::text {

namespace {

constexpr std::size_t kMaxTokenChars = 64;

void AppendUtf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  std::int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<std::uint8_t*>(buf), n, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

bool IsMark(UChar32 c) {
  const auto type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// The base letter of `c` without its marks, lower case; đ is d.
UChar32 FoldChar(const icu::Normalizer2* nfd, UChar32 c) {
  if (c == 0x0110 || c == 0x0111) return 'd';
  if (c < 0x80) return u_tolower(c);
  icu::UnicodeString decomposition;
  if (nfd && nfd->getDecomposition(c, decomposition) && decomposition.length() > 0) {
    c = decomposition.char32At(0);
  }
  return u_tolower(c);
}

}  // namespace

std::string Nfc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  if (U_FAILURE(status)) return std::string(text);
  if (nfc->isNormalized(source, status) && U_SUCCESS(status)) {
    std::string out;
    source.toUTF8String(out);  // replaces invalid UTF-8
    return out;
  }
  status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(source, status);
  std::string out;
  (U_SUCCESS(status) ? normalized : source).toUTF8String(out);
  return out;
}

std::vector<Token> Tokenize(std::string_view nfc, std::size_t max_tokens) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) nfd = nullptr;
  std::vector<Token> out;
  Token current;
  std::size_t chars = 0;
  bool in_token = false;
  const auto* s = reinterpret_cast<const std::uint8_t*>(nfc.data());
  const auto length = static_cast<std::int32_t>(nfc.size());
  for (std::int32_t i = 0; i < length;) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    const bool letter = c >= 0 && (u_isalnum(c) != 0);
    const bool mark = c >= 0 && in_token && IsMark(c);
    if (letter || mark) {
      if (!in_token) {
        if (out.size() >= max_tokens) break;
        current = Token{};
        current.begin = static_cast<std::size_t>(start);
        chars = 0;
        in_token = true;
      }
      current.end = static_cast<std::size_t>(i);
      if (chars >= kMaxTokenChars) continue;
      ++chars;
      AppendUtf8(current.exact, u_tolower(c));
      if (!mark) AppendUtf8(current.folded, FoldChar(nfd, c));
      continue;
    }
    if (in_token) {
      out.push_back(std::move(current));
      in_token = false;
    }
  }
  if (in_token && out.size() < max_tokens) out.push_back(std::move(current));
  return out;
}

std::string FoldTelex(std::string_view w) {
  if (w.size() < 2) return "";
  for (char c : w) {
    if (c < 'a' || c > 'z') return "";
  }
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    const char next = i + 1 < w.size() ? w[i + 1] : '\0';
    if ((c == 'd' && next == 'd') || (c == 'a' && (next == 'a' || next == 'w')) ||
        (c == 'e' && next == 'e') || (c == 'o' && (next == 'o' || next == 'w')) ||
        (c == 'u' && next == 'w')) {
      out += c;
      ++i;
      changed = true;
      continue;
    }
    out += c;
  }
  auto vowel = [](char c) { return std::string_view("aeiouy").find(c) != std::string_view::npos; };
  if (out.size() >= 2 && std::string_view("sfrxj").find(out.back()) != std::string_view::npos) {
    const std::string stem = out.substr(0, out.size() - 1);
    bool has_vowel = false;
    for (char c : stem) has_vowel = has_vowel || vowel(c);
    if (has_vowel) {
      out = stem;
      changed = true;
    }
  }
  return changed ? out : "";
}

std::string Pair(std::string_view a, std::string_view b) {
  std::string out;
  out.reserve(a.size() + b.size() + 1);
  out.append(a);
  out += '_';
  out.append(b);
  return out;
}

std::size_t Utf16Offset(std::string_view text, std::size_t byte) {
  std::size_t units = 0;
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(std::min(byte, text.size()));
  for (std::int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    units += (c >= 0x10000) ? 2 : 1;
  }
  return units;
}

}  // namespace chancery::text
