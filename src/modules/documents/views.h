// JSON views of the documents module's objects, shared with the modules that show them.
#pragma once

#include <boost/json/object.hpp>

#include "modules/documents/service.h"
#include "modules/documents/store.h"
#include "modules/signatures/store.h"

namespace chancery::documents {

boost::json::object DocumentView(const Document& d);
// A document already received under the same number/symbol and issuer, as
// a clerk recognises it: arrival number and day (or the day it came), state.
boost::json::object DuplicateView(const Document& d);
boost::json::object FileView(const documents::NamedFile& f);
boost::json::object TextView(const documents::TextEntry& e);
boost::json::object AssignmentView(const Assignment& a);
boost::json::object PageView(const services::DocumentPage& p);
boost::json::object SignatureView(const signatures::DocumentSignature& sig);

}  // namespace chancery::documents
