// The visible part of a signature: PNG images through libpng, text as glyph
// outlines through FreeType (filled paths, so Vietnamese shows in any
// viewer without a font in the document).
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <png.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "lib/pki/pdf_internal.h"

namespace chancery::pki::internal {

std::string Deflate(std::string_view bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uLong>(bytes.size()),
            Z_DEFAULT_COMPRESSION);
  out.resize(size);
  return out;
}

namespace {

Result<PdfImage> DecodePng(std::string_view png) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) {
    return Error::Invalid("image", "not_png", "An appearance image is not a readable PNG.");
  }
  image.format = PNG_FORMAT_RGBA;
  std::string rgba(PNG_IMAGE_SIZE(image), '\0');
  if (!png_image_finish_read(&image, nullptr, rgba.data(), 0, nullptr)) {
    png_image_free(&image);
    return Error::Invalid("image", "not_png", "An appearance image is not a readable PNG.");
  }
  PdfImage out{static_cast<int>(image.width), static_cast<int>(image.height), "", ""};
  std::string rgb, alpha;
  rgb.reserve(rgba.size() / 4 * 3);
  alpha.reserve(rgba.size() / 4);
  for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
    rgb.append(rgba, i, 3);
    alpha.push_back(rgba[i + 3]);
  }
  out.rgb_deflated = Deflate(rgb);
  out.alpha_deflated = Deflate(alpha);
  return out;
}

// Decodes UTF-8 into code points; a malformed byte becomes U+FFFD.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t c = n == 1 ? b : b & (0x7F >> n);
    for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(c);
    i += n;
  }
  return out;
}

// FreeType faces by font file, loaded once; FreeType is not thread-safe, so
// every use holds the lock.
struct Fonts {
  std::mutex mu;
  FT_Library library = nullptr;
  std::map<std::string, FT_Face> faces;
};
Fonts& TheFonts() {
  static Fonts* fonts = [] {
    auto* f = new Fonts;
    FT_Init_FreeType(&f->library);
    return f;
  }();
  return *fonts;
}

// Outline decomposition into PDF path operators, scaled and placed.
struct PathWriter {
  std::string* out;
  double scale, x, y;
  FT_Vector last{};
  void Point(const FT_Vector* v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f %.2f ", x + v->x * scale, y + v->y * scale);
    *out += buf;
  }
};
int MoveTo(const FT_Vector* to, void* user) {
  auto* w = static_cast<PathWriter*>(user);
  w->Point(to);
  *w->out += "m\n";
  w->last = *to;
  return 0;
}
int LineTo(const FT_Vector* to, void* user) {
  auto* w = static_cast<PathWriter*>(user);
  w->Point(to);
  *w->out += "l\n";
  w->last = *to;
  return 0;
}
int CubicTo(const FT_Vector* c1, const FT_Vector* c2, const FT_Vector* to, void* user) {
  auto* w = static_cast<PathWriter*>(user);
  w->Point(c1);
  w->Point(c2);
  w->Point(to);
  *w->out += "c\n";
  w->last = *to;
  return 0;
}
// A quadratic (TrueType) segment as the equivalent cubic.
int ConicTo(const FT_Vector* c, const FT_Vector* to, void* user) {
  auto* w = static_cast<PathWriter*>(user);
  const FT_Vector p0 = w->last;
  const FT_Vector c1{p0.x + 2 * (c->x - p0.x) / 3, p0.y + 2 * (c->y - p0.y) / 3};
  const FT_Vector c2{to->x + 2 * (c->x - to->x) / 3, to->y + 2 * (c->y - to->y) / 3};
  return CubicTo(&c1, &c2, to, user);
}

Status DrawText(const Appearance::Text& line, const std::string& font_file, std::string* out) {
  Fonts& fonts = TheFonts();
  std::lock_guard lock(fonts.mu);
  FT_Face& face = fonts.faces[font_file];
  if (!face && FT_New_Face(fonts.library, font_file.c_str(), 0, &face) != 0) {
    face = nullptr;
    fonts.faces.erase(font_file);
    return MakeError(ErrorCode::kUnavailable, "The signature font cannot be read: " + font_file);
  }
  static const FT_Outline_Funcs funcs{MoveTo, LineTo, ConicTo, CubicTo, 0, 0};
  PathWriter writer{out, line.size / face->units_per_EM, line.x, line.y};
  *out += line.red ? "0.8 0 0 rg\n" : "0 0 0 rg\n";
  for (char32_t c : CodePoints(line.utf8)) {
    const FT_UInt glyph = FT_Get_Char_Index(face, c);
    if (FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE) != 0) continue;
    FT_Outline_Decompose(&face->glyph->outline, &funcs, &writer);
    writer.x += face->glyph->advance.x * writer.scale;
  }
  *out += "f\n";
  return Ok();
}

}  // namespace

Result<RenderedAppearance> RenderAppearance(const Appearance& appearance) {
  RenderedAppearance out;
  for (std::size_t i = 0; i < appearance.images.size(); ++i) {
    const auto& image = appearance.images[i];
    CHY_TRY(PdfImage decoded, DecodePng(image.png));
    out.images.push_back(std::move(decoded));
    char buf[160];
    std::snprintf(buf, sizeof buf, "q %.2f 0 0 %.2f %.2f %.2f cm /Im%zu Do Q\n", image.at.width,
                  image.at.height, image.at.x, image.at.y, i);
    out.content += buf;
  }
  for (const auto& line : appearance.lines) {
    if (line.utf8.empty()) continue;
    CHY_TRY_STATUS(DrawText(line, appearance.font_file, &out.content));
  }
  return out;
}

}  // namespace chancery::pki::internal

namespace chancery::pki {

namespace {

std::string WritePng(int width, int height, const std::vector<unsigned char>& rgba) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  png_image_write_to_memory(&image, nullptr, &size, 0, rgba.data(), 0, nullptr);
  std::string out(size, '\0');
  png_image_write_to_memory(&image, out.data(), &size, 0, rgba.data(), 0, nullptr);
  out.resize(size);
  return out;
}

}  // namespace

std::string DemoSealPng(int size) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(size * size * 4), 0);
  const double c = size / 2.0, r = size / 2.0 - 2;
  // A five-pointed star: inside if inside the pentagram's polygon (even-odd).
  std::vector<std::pair<double, double>> star;
  for (int k = 0; k < 10; ++k) {
    const double radius = (k % 2 ? 0.38 : 0.95) * r * 0.42;
    const double a = -M_PI / 2 + k * M_PI / 5;
    star.emplace_back(c + radius * std::cos(a), c + radius * std::sin(a));
  }
  auto in_star = [&](double x, double y) {
    bool inside = false;
    for (std::size_t i = 0, j = star.size() - 1; i < star.size(); j = i++) {
      const auto [xi, yi] = star[i];
      const auto [xj, yj] = star[j];
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const double d = std::hypot(x + 0.5 - c, y + 0.5 - c);
      const bool ring = (d < r && d > r * 0.9) || (d < r * 0.72 && d > r * 0.68);
      if (ring || in_star(x + 0.5, y + 0.5)) {
        unsigned char* p = &rgba[static_cast<std::size_t>((y * size + x) * 4)];
        p[0] = 210, p[1] = 20, p[2] = 30, p[3] = 230;
      }
    }
  }
  return WritePng(size, size, rgba);
}

std::string DemoSignaturePng(int width, int height) {
  std::vector<unsigned char> rgba(static_cast<std::size_t>(width * height * 4), 0);
  for (int i = 0; i < width * 8; ++i) {
    const double t = static_cast<double>(i) / (width * 8);
    const double x = 10 + t * (width - 20);
    const double y = height / 2.0 + std::sin(t * 19) * height * 0.28 * (1 - t * 0.5) +
                     std::cos(t * 7) * height * 0.08;
    for (int dy = -2; dy <= 2; ++dy) {
      for (int dx = -2; dx <= 2; ++dx) {
        const int px = static_cast<int>(x) + dx, py = static_cast<int>(y) + dy;
        if (px < 0 || py < 0 || px >= width || py >= height || dx * dx + dy * dy > 4) continue;
        unsigned char* p = &rgba[static_cast<std::size_t>((py * width + px) * 4)];
        p[0] = 20, p[1] = 40, p[2] = 160, p[3] = 255;
      }
    }
  }
  return WritePng(width, height, rgba);
}

}  // namespace chancery::pki
