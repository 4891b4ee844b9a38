// Folding Vietnamese text for search: "Quyết định Đảng" and "quyet dinh dang"
// must match each other.
#pragma once

#include <string>
#include <string_view>

namespace chancery::text {

// Lower-cases, removes diacritics (NFD, then drops combining marks) and maps
// đ/Đ to d. Invalid UTF-8 is replaced, never rejected.
std::string FoldVietnamese(std::string_view text);

}  // namespace chancery::text
