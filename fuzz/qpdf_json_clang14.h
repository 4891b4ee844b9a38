// Force-included (fuzz/CMakeLists.txt) into src/lib/pki/pades.cc when the fuzz
// build uses clang < 15. qpdf 11's JSON.hh declares `std::vector<JSON>`
// inside class JSON with a virtual defaulted destructor; clang 14 with
// libstdc++ 12 in C++20 instantiates the constexpr ~vector() right there,
// while JSON is still incomplete, and the file does not compile ("template
// argument must be a complete class"). Declaring the specialisation before
// JSON.hh and defining it after, once JSON is complete, avoids that; the
// body is libstdc++'s own ~vector(). GCC and newer clang never see this file.
#pragma once

#include <vector>

class JSON;
template <>
constexpr std::vector<JSON, std::allocator<JSON>>::~vector() noexcept;

#include <qpdf/JSON.hh>

template <>
constexpr std::vector<JSON, std::allocator<JSON>>::~vector() noexcept {
  std::_Destroy(this->_M_impl._M_start, this->_M_impl._M_finish, _M_get_Tp_allocator());
}
