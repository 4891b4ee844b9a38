// Vietnamese words as search sees them. A syllable (tiếng) is a run of
// letters and digits; everything else separates ("15/QĐ-BQP" is 15, qđ, bqp).
// Each token keeps where it stands in the text, so hits are highlighted in
// their original spelling, its exact form (NFC, lower case, diacritics kept:
// "hiến") and its folded form (diacritics removed, đ→d: "hien"), which is
// what matching uses; the exact form ranks an exact-diacritic match higher.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chancery::text {

struct Token {
  std::size_t begin = 0;  // byte offsets in the NFC text that was tokenized
  std::size_t end = 0;
  std::string exact;   // lower case, NFC
  std::string folded;  // lower case, no diacritics, đ → d
};

// The text in Unicode NFC (invalid UTF-8 replaced, never rejected).
std::string Nfc(std::string_view text);

// The tokens of `nfc` (call Nfc first on text from outside), at most
// `max_tokens` of them. A token longer than 64 characters is cut there.
std::vector<Token> Tokenize(std::string_view nfc, std::size_t max_tokens = 1'000'000);

// Telex typed without an input method ("quyeets ddinhj"): the folded word it
// stands for ("quyet", "dinh"), or "" when `folded_ascii` has no telex marks.
// Vietnamese syllables never contain dd, aa, aw, ee, oo, ow, uw nor end in a
// tone key (s f r x j) after a vowel, so an alternative never hides a word.
std::string FoldTelex(std::string_view folded_ascii);

// A bigram of two folded syllables, as indexed ("quyet_dinh").
std::string Pair(std::string_view a, std::string_view b);

// Byte offset `byte` of UTF-8 `text` as a UTF-16 index (what a browser's
// string indices count).
std::size_t Utf16Offset(std::string_view text, std::size_t byte);

}  // namespace chancery::text
