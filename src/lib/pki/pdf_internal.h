// Shared inside src/pki between the PAdES writer and the appearance renderer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lib/pki/pades.h"

namespace chancery::pki::internal {

// A PNG decoded for PDF: 8-bit RGB and its alpha channel, each
// zlib-compressed (FlateDecode).
struct PdfImage {
  int width = 0, height = 0;
  std::string rgb_deflated;
  std::string alpha_deflated;
};

// A signature's appearance as a form XObject's content stream, drawing the
// images as /Im0, /Im1, ... in order.
struct RenderedAppearance {
  std::string content;
  std::vector<PdfImage> images;
};

Result<RenderedAppearance> RenderAppearance(const Appearance& appearance);

// zlib at its default level.
std::string Deflate(std::string_view bytes);

}  // namespace chancery::pki::internal
