// Plain text out of a file from outside, for search and the legal database:
// a PDF's text layer (poppler), a DOCX's paragraphs (libzip and libxml2), or
// UTF-8 text. Every file is hostile until read: the input, what a DOCX
// inflates to and the text are capped, XML is read without network, DTD or
// entity expansion, and the server reads a file only in a child process with
// memory and CPU limits (TextInChild), so a parser's crash or runaway loop
// costs that child, never the node.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace chancery::extract {

enum class Format { kUnknown, kPdf, kDocx, kText };

// By content, never by name: "%PDF-" within the first KiB, a ZIP holding
// word/document.xml, or valid UTF-8 without NUL bytes.
Format FormatOf(std::string_view bytes);

struct Limits {
  std::size_t max_text = 4u << 20;       // bytes of text kept (cut at a character)
  std::size_t max_inflated = 64u << 20;  // bytes a DOCX's document.xml may inflate to
  int max_pages = 2000;                  // pages of a PDF read
};

// The text of `bytes`, in this process: paragraphs end with "\n", PDF pages
// with "\n\f\n"; NFC is left to the caller. Refusals are kInvalidArgument on
// field "file" with a stable code: file_format (neither PDF, DOCX nor text),
// file_unreadable (broken), file_encrypted (a PDF that needs a password),
// file_too_large (a DOCX inflating past the limit).
Result<std::string> Text(std::string_view bytes, const Limits& limits = {});

// The same in a child process: `exe extract-text` reads the file from its
// standard input and writes the text to its standard output (RunChild). The
// child has `memory_bytes` of address space and `cpu` of processor time; a
// child that runs past `wall` is killed. A child that dies or is killed is
// file_unreadable: the file, not the node, is at fault.
struct ChildLimits {
  Limits text;
  std::size_t memory_bytes = 1u << 30;
  std::chrono::seconds cpu{20};
  std::chrono::seconds wall{30};
  // Asked every 100 ms: true kills the child, and the read is kUnavailable
  // (the node is stopping; the file is not at fault and is read later).
  std::function<bool()> cancelled;
};
Result<std::string> TextInChild(const std::string& exe, std::string_view bytes,
                                const ChildLimits& limits = {});

// The child's main (`chancery extract-text`): sets its own limits, reads
// standard input, writes the text; exit 0 with the text, exit 3 with
// "code\tmessage" for a refusal.
int RunChild(const ChildLimits& limits = {});

// The path of the running program (/proc/self/exe), to start children with.
std::string SelfExe();

}  // namespace chancery::extract
