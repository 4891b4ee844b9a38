#include "lib/edxml/mime.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "lib/edxml/refusal.h"

namespace chancery::edxml::internal {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// One header block: lower-case names to unfolded values. `*rest` is what follows the blank line.
struct Headers {
  std::vector<std::pair<std::string, std::string>> fields;
  const std::string* Find(std::string_view name) const {
    for (const auto& [n, v] : fields) {
      if (n == name) return &v;
    }
    return nullptr;
  }
};

Result<Headers> ReadHeaders(std::string_view text, std::string_view* rest) {
  Headers headers;
  std::size_t pos = 0;
  while (true) {
    const std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) return Malformed("mime", "The MIME headers do not end.");
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {  // folded
      if (headers.fields.empty()) return Malformed("mime", "A MIME header starts folded.");
      headers.fields.back().second += " ";
      headers.fields.back().second += Trim(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return Malformed("mime", "A MIME header has no name.");
    headers.fields.emplace_back(Lower(Trim(line.substr(0, colon))),
                                std::string(Trim(line.substr(colon + 1))));
    if (headers.fields.size() > 64) return Malformed("mime", "Too many MIME headers.");
  }
  *rest = text.substr(pos);
  return headers;
}

// A parameter of a structured header value (`boundary`, `type`, ...).
std::optional<std::string> Parameter(std::string_view value, std::string_view name) {
  std::size_t pos = value.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = Trim(value.substr(pos + 1));
    const std::size_t eq = rest.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string key = Lower(Trim(rest.substr(0, eq)));
    rest = Trim(rest.substr(eq + 1));
    std::string val;
    std::size_t next;
    if (!rest.empty() && rest.front() == '"') {
      const std::size_t close = rest.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      val = rest.substr(1, close - 1);
      next = rest.find(';', close);
    } else {
      next = rest.find(';');
      val = Trim(rest.substr(0, next));
    }
    if (key == name) return val;
    if (next == std::string_view::npos) return std::nullopt;
    pos = static_cast<std::size_t>(rest.data() - value.data()) + next;
  }
  return std::nullopt;
}

std::string MediaType(std::string_view value) {
  return Lower(Trim(value.substr(0, value.find(';'))));
}

}  // namespace

std::string Base64Encode(std::string_view bytes, std::size_t line_length) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + (line_length ? bytes.size() / line_length * 2 + 2 : 0));
  std::size_t in_line = 0;
  auto put = [&](char c) {
    if (line_length && in_line == line_length) {
      out += "\r\n";
      in_line = 0;
    }
    out += c;
    ++in_line;
  };
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    put(kAlphabet[v >> 18]);
    put(kAlphabet[(v >> 12) & 63]);
    put(kAlphabet[(v >> 6) & 63]);
    put(kAlphabet[v & 63]);
  }
  if (const std::size_t left = bytes.size() - i; left > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (left == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    put(kAlphabet[v >> 18]);
    put(kAlphabet[(v >> 12) & 63]);
    put(left == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    put('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  static const std::array<signed char, 256> kValue = [] {
    std::array<signed char, 256> t{};
    t.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i)
      t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
    return t;
  }();
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned acc = 0;
  int have = 0, padding = 0;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      if (have < 2 || ++padding > 2) return std::nullopt;
      continue;
    }
    const int v = kValue[static_cast<unsigned char>(c)];
    if (v < 0 || padding) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    if (++have == 4) {
      out += static_cast<char>(acc >> 16);
      out += static_cast<char>((acc >> 8) & 0xff);
      out += static_cast<char>(acc & 0xff);
      acc = 0;
      have = 0;
    }
  }
  if (padding) {
    if (have + padding != 4) return std::nullopt;
    if (have == 2) {
      if (acc & 0xf) return std::nullopt;  // non-canonical trailing bits
      out += static_cast<char>(acc >> 4);
    } else {
      if (acc & 0x3) return std::nullopt;
      out += static_cast<char>(acc >> 10);
      out += static_cast<char>((acc >> 2) & 0xff);
    }
  } else if (have != 0) {
    return std::nullopt;
  }
  return out;
}

bool IsContentId(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("@.-_+=%$!~*'").find(c) != std::string_view::npos;
  });
}

std::string WriteMultipart(const std::vector<const MimePart*>& parts, std::string_view boundary) {
  std::string out = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"";
  out += boundary;
  out += "\"; type=\"text/xml\"";
  if (!parts.empty()) out += "; start=\"<" + parts.front()->content_id + ">\"";
  out += "\r\n\r\n";
  for (const MimePart* part : parts) {
    out += "--";
    out += boundary;
    out += "\r\nContent-Type: " + part->content_type +
           "\r\nContent-Transfer-Encoding: " + part->transfer_encoding + "\r\nContent-ID: <" +
           part->content_id + ">\r\n\r\n";
    if (part->transfer_encoding == "base64") {
      out += Base64Encode(part->body, 76);
    } else {
      out += part->body;
    }
    out += "\r\n";
  }
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

Result<std::vector<MimePart>> ReadMultipart(std::string_view message, std::size_t max_parts) {
  std::string_view body;
  CHY_TRY(Headers top, ReadHeaders(message, &body));
  const std::string* type = top.Find("content-type");
  if (!type || MediaType(*type) != "multipart/related") {
    return Malformed("mime", "Not a multipart/related message.");
  }
  const std::optional<std::string> boundary = Parameter(*type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70)
    return Malformed("mime", "No usable MIME boundary.");
  const std::string delimiter = "--" + *boundary;

  // The first delimiter may open the body; later ones follow a line break.
  std::size_t at;
  if (body.substr(0, delimiter.size()) == delimiter) {
    at = 0;
  } else {
    at = body.find("\n" + delimiter);
    if (at == std::string_view::npos) return Malformed("mime", "The MIME boundary never occurs.");
    ++at;
  }
  std::vector<MimePart> parts;
  while (true) {
    std::size_t pos = at + delimiter.size();
    if (body.substr(pos, 2) == "--") break;  // the close delimiter
    // Transport padding, then the line break.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) == "\r\n") {
      pos += 2;
    } else if (body.substr(pos, 1) == "\n") {
      pos += 1;
    } else {
      return Malformed("mime", "A MIME boundary line does not end.");
    }
    std::size_t next = body.find("\n" + delimiter, pos);
    if (next == std::string_view::npos) return Malformed("mime", "A MIME part does not end.");
    std::size_t end = next;
    if (end > pos && body[end - 1] == '\r') --end;
    if (parts.size() == max_parts) {
      return Refuse(kReasonTooLarge, "attachments", "Too many MIME parts.");
    }
    std::string_view content;
    CHY_TRY(Headers headers, ReadHeaders(body.substr(pos, end - pos), &content));
    MimePart part;
    const std::string* ct = headers.Find("content-type");
    part.content_type = ct ? *ct : "text/plain";
    if (const std::string* id = headers.Find("content-id")) {
      std::string_view v = *id;
      if (v.size() < 2 || v.front() != '<' || v.back() != '>')
        return Malformed("mime", "A Content-ID is not <...>.");
      part.content_id = v.substr(1, v.size() - 2);
      if (!IsContentId(part.content_id))
        return Malformed("mime", "A Content-ID has characters we do not accept.");
    }
    const std::string* te = headers.Find("content-transfer-encoding");
    part.transfer_encoding = te ? Lower(*te) : "7bit";
    if (part.transfer_encoding == "base64") {
      std::optional<std::string> decoded = Base64Decode(content);
      if (!decoded) return Malformed("mime", "A MIME part is not valid base64.");
      part.body = std::move(*decoded);
    } else if (part.transfer_encoding == "binary" || part.transfer_encoding == "8bit" ||
               part.transfer_encoding == "7bit") {
      part.body = content;
    } else {
      return Malformed("mime",
                       "Unsupported Content-Transfer-Encoding " + part.transfer_encoding + ".");
    }
    parts.push_back(std::move(part));
    at = next + 1;
  }
  if (parts.empty()) return Malformed("mime", "The MIME message has no part.");
  return parts;
}

}  // namespace chancery::edxml::internal
