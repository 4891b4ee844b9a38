#include "lib/extract/extract.h"

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <poll.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

extern char** environ;

namespace chancery::extract {

namespace {

constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

Error Refused(std::string code, std::string message) {
  return Error::Invalid("file", std::move(code), std::move(message));
}

// Length of the valid UTF-8 sequence at s[i], 0 if there is none.
std::size_t Utf8At(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  char32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0)
    n = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0)
    n = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0)
    n = 4, cp = c & 0x07;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  const char32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool IsText(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\0') return false;
    const std::size_t n = Utf8At(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Appends to `out` while it stays within `max`, cutting at a character.
// Whether everything fitted.
bool Append(std::string& out, std::string_view more, std::size_t max) {
  if (out.size() + more.size() <= max) {
    out += more;
    return true;
  }
  std::size_t keep = max > out.size() ? max - out.size() : 0;
  while (keep > 0 && (static_cast<unsigned char>(more[keep]) & 0xC0) == 0x80) --keep;
  out += more.substr(0, keep);
  return false;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

// A DOCX's word/document.xml, read at most to `max` bytes whatever the
// archive claims.
Result<std::string> DocumentXml(std::string_view bytes, std::size_t max) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    zip_error_fini(&error);
    return Refused("file_unreadable", "The file is not a readable DOCX.");
  }
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open_from_source(source, ZIP_RDONLY, &error));
  zip_error_fini(&error);
  if (!archive) {
    zip_source_free(source);
    return Refused("file_unreadable", "The file is not a readable DOCX.");
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> entry(
      zip_fopen(archive.get(), "word/document.xml", 0));
  if (!entry) return Refused("file_unreadable", "The DOCX has no readable word/document.xml.");
  std::string xml;
  char buffer[64 * 1024];
  for (;;) {
    const zip_int64_t n = zip_fread(entry.get(), buffer, sizeof buffer);
    if (n < 0) return Refused("file_unreadable", "The DOCX's word/document.xml is damaged.");
    if (n == 0) break;
    if (xml.size() + static_cast<std::size_t>(n) > max) {
      return Refused("file_too_large",
                     "The DOCX's text inflates past " + std::to_string(max >> 20) + " MiB.");
    }
    xml.append(buffer, static_cast<std::size_t>(n));
  }
  return xml;
}

bool IsWord(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         kWordNs == reinterpret_cast<const char*>(n->ns->href) &&
         std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

// The text of WordprocessingML: runs' w:t, tabs and breaks; a paragraph ends
// a line. Depth is bounded by libxml2's own limit (256 without XML_PARSE_HUGE).
bool WordText(const xmlNode* node, std::string& out, std::size_t max) {
  for (const xmlNode* n = node; n; n = n->next) {
    if (IsWord(n, "t")) {
      for (const xmlNode* c = n->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
          if (!Append(out, reinterpret_cast<const char*>(c->content), max)) return false;
        }
      }
      continue;
    }
    if (IsWord(n, "tab") && !Append(out, "\t", max)) return false;
    if ((IsWord(n, "br") || IsWord(n, "cr")) && !Append(out, "\n", max)) return false;
    if (n->type == XML_ELEMENT_NODE && n->children && !WordText(n->children, out, max)) {
      return false;
    }
    if (IsWord(n, "p") && !Append(out, "\n", max)) return false;
  }
  return true;
}

Result<std::string> DocxText(std::string_view bytes, const Limits& limits) {
  CHY_TRY(std::string xml, DocumentXml(bytes, limits.max_inflated));
  // No network, no DTD loading, entities left unexpanded (no XXE, no
  // billion laughs), errors not printed.
  std::unique_ptr<xmlDoc, XmlDocFree> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "document.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  if (!doc) return Refused("file_unreadable", "The DOCX's word/document.xml is not XML.");
  // Word never writes a DOCTYPE; one here is someone's attempt at entities.
  if (doc->intSubset || doc->extSubset) {
    return Refused("file_unreadable", "The DOCX's word/document.xml declares a DOCTYPE.");
  }
  std::string out;
  WordText(xmlDocGetRootElement(doc.get()), out, limits.max_text);
  return out;
}

void Quiet(const std::string&, void*) {}

Result<std::string> PdfText(std::string_view bytes, const Limits& limits) {
  poppler::set_debug_error_function(Quiet, nullptr);
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return Refused("file_unreadable", "The PDF cannot be read.");
  if (doc->is_locked()) return Refused("file_encrypted", "The PDF needs a password to be read.");
  std::string out;
  const int pages = std::min(doc->pages(), limits.max_pages);
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    const poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
    if (i > 0 && !Append(out, "\n\f\n", limits.max_text)) break;
    if (!Append(out, std::string_view(utf8.data(), utf8.size()), limits.max_text)) break;
  }
  return out;
}

}  // namespace

Format FormatOf(std::string_view bytes) {
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return Format::kPdf;
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    // A ZIP is a DOCX only if it holds the document part; the name is in
    // the local headers and the central directory, so a search suffices.
    return bytes.find("word/document.xml") != std::string_view::npos ? Format::kDocx
                                                                     : Format::kUnknown;
  }
  return IsText(bytes) ? Format::kText : Format::kUnknown;
}

Result<std::string> Text(std::string_view bytes, const Limits& limits) {
  switch (FormatOf(bytes)) {
    case Format::kPdf:
      return PdfText(bytes, limits);
    case Format::kDocx:
      return DocxText(bytes, limits);
    case Format::kText: {
      std::string out;
      Append(out, bytes, limits.max_text);
      return out;
    }
    case Format::kUnknown:
      break;
  }
  return Refused("file_format", "Only PDF, DOCX and UTF-8 text files can be read.");
}

// ---------------------------------------------------------------- the child

std::string SelfExe() {
  char path[4096];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : std::string();
}

namespace {

constexpr int kRefusedExit = 3;

// AddressSanitizer reserves terabytes of address space for its shadow: under
// it (the unit tests' build) the child runs without an address-space limit.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

void Limit(int resource, rlim_t value) {
  const rlimit r{value, value};
  ::setrlimit(resource, &r);
}

struct Fd {
  int fd = -1;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

}  // namespace

int RunChild(const ChildLimits& limits) {
  if (!kAsan) Limit(RLIMIT_AS, limits.memory_bytes);
  Limit(RLIMIT_CPU, static_cast<rlim_t>(limits.cpu.count()));
  Limit(RLIMIT_FSIZE, limits.text.max_text + 4096);  // no file bigger than its answer
  Limit(RLIMIT_CORE, 0);
  std::string in;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(0, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    in.append(buffer, static_cast<std::size_t>(n));
  }
  auto text = Text(in, limits.text);
  const std::string out =
      text.ok() ? *text : text.error().fields.at(0).code + "\t" + text.error().fields.at(0).message;
  for (std::size_t done = 0; done < out.size();) {
    const ssize_t n = ::write(1, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 1;
    done += static_cast<std::size_t>(n);
  }
  return text.ok() ? 0 : kRefusedExit;
}

Result<std::string> TextInChild(const std::string& exe, std::string_view bytes,
                                const ChildLimits& limits) {
  // Standard input is a socket so that writing to a child that died is
  // EPIPE (MSG_NOSIGNAL), not a SIGPIPE that would end the node.
  int in_pipe[2], out_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pipe) != 0) {
    return MakeError(ErrorCode::kInternal, "socketpair failed");
  }
  Fd in_r{in_pipe[0]}, in_w{in_pipe[1]};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return MakeError(ErrorCode::kInternal, "pipe failed");
  Fd out_r{out_pipe[0]}, out_w{out_pipe[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_r.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // The child reads hostile files: it gets its three streams and nothing else
  // of the node's. Asio opens its sockets without close-on-exec, so without
  // this the child would hold the node's listeners, connections and database
  // files, and a listener would outlive a node that died while a read ran.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::string arg0 = exe, arg1 = "extract-text";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  char* envp[] = {nullptr};  // nothing of the node's environment
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return MakeError(ErrorCode::kInternal, "The text reader could not be started: " +
                                               std::string(std::strerror(spawned)));
  }
  in_r.Close();
  out_w.Close();

  // Feed standard input and drain standard output together, so neither
  // side waits on a full pipe; stop at the wall-clock limit or when the
  // child says more than the text limit allows.
  const auto deadline = std::chrono::steady_clock::now() + limits.wall;
  const std::size_t max_out = limits.text.max_text + 1024;
  std::string out;
  std::size_t sent = 0;
  bool killed = false, cancelled = false;
  while (out_r.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    cancelled = limits.cancelled && limits.cancelled();
    if (left.count() <= 0 || out.size() > max_out || cancelled) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {in_w.fd, POLLOUT, 0}};
    const int nfds = in_w.fd >= 0 ? 2 : 1;
    const auto wait = limits.cancelled ? std::min<std::int64_t>(left.count(), 100) : left.count();
    const int ready = ::poll(fds, nfds, static_cast<int>(wait));
    if (ready < 0 && errno != EINTR) break;
    if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n =
          ::send(in_w.fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) sent += static_cast<std::size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) in_w.Close();
      if (sent == bytes.size()) in_w.Close();
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buffer[64 * 1024];
      const ssize_t n = ::read(out_r.fd, buffer, sizeof buffer);
      if (n > 0) out.append(buffer, static_cast<std::size_t>(n));
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) out_r.Close();
    }
  }
  in_w.Close();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (cancelled) return MakeError(ErrorCode::kUnavailable, "The text reader was stopped.");
  if (!killed && WIFEXITED(status) && WEXITSTATUS(status) == 0) return out;
  if (!killed && WIFEXITED(status) && WEXITSTATUS(status) == kRefusedExit) {
    const auto tab = out.find('\t');
    if (tab != std::string::npos) return Refused(out.substr(0, tab), out.substr(tab + 1));
  }
  return Refused("file_unreadable", "The file could not be read within the reader's limits.");
}

}  // namespace chancery::extract
