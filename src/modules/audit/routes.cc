#include "modules/audit/routes.h"

#include <boost/json.hpp>
#include <charconv>

#include "modules/audit/store.h"
#include "modules/audit/views.h"
#include "modules/org/views.h"

namespace chancery::audit {

namespace json = boost::json;
using namespace http;  // NOLINT: the handler vocabulary
using F = JsonField;
using T = JsonType;
using org::ActorOf;

namespace {}  // namespace

Response Routes::List(Request& req) {
  audit::AuditQuery q;
  q.object_type = QueryParam(req, "object_type").value_or("");
  q.action = QueryParam(req, "action").value_or("");
  auto oid = QueryInt(req, "object_id");
  auto actor = QueryInt(req, "actor_id");
  auto cursor = QueryInt(req, "cursor");
  for (const auto* r : {&oid, &actor, &cursor}) {
    if (!r->ok()) return Problem(r->error());
  }
  // ?from=&to=: Vietnam days, both included.
  auto from = QueryDate(req, "from");
  if (!from.ok()) return Problem(from.error());
  auto to = QueryDate(req, "to");
  if (!to.ok()) return Problem(to.error());
  if (*from && *to && **to < **from) {
    return Problem(Error::Invalid("to", "before_from", "The end date is before the start date."));
  }
  if (*from) q.at_or_after = VietnamDayStart(**from);
  if (*to) q.before = VietnamDayStart(**to + std::chrono::days{1});
  q.object_id = *oid;
  q.actor_id = *actor;
  q.before_seq = *cursor;
  auto limit_r = QueryLimit(req);
  if (!limit_r.ok()) return Problem(limit_r.error());
  const int limit = *limit_r;
  q.limit = limit + 1;
  return Reply(services_.ListAudit(ActorOf(req), q), [&](auto list) {
    json::value next = nullptr;
    if (static_cast<int>(list.size()) > limit) {
      list.resize(limit);
      next = std::to_string(list.back().seq);
    }
    json::array a;
    for (const auto& e : list) a.push_back(AuditView(e));
    return json::object{{"items", a}, {"next_cursor", next}};
  });
}

Response Routes::Head(Request& req) {
  return Reply(services_.AuditHead(ActorOf(req)), [](const auto& h) {
    return json::object{{"tree_size", h.first}, {"root", h.second}};
  });
}

Response Routes::Inclusion(Request& req) {
  auto seq = QueryInt(req, "seq");
  auto size = QueryInt(req, "tree_size");
  if (!seq.ok()) return Problem(seq.error());
  if (!size.ok()) return Problem(size.error());
  if (!*seq) return Problem(Error::Invalid("seq", "required", "Which record."));
  return Reply(services_.AuditInclusion(ActorOf(req), **seq, *size), [](const auto& p) {
    return json::object{{"seq", p.seq},
                        {"tree_size", p.tree_size},
                        {"leaf_hash", p.leaf_hash},
                        {"root", p.root},
                        {"audit_path", json::value_from(p.path)}};
  });
}

Response Routes::Consistency(Request& req) {
  auto from = QueryInt(req, "from");
  auto to = QueryInt(req, "to");
  if (!from.ok()) return Problem(from.error());
  if (!to.ok()) return Problem(to.error());
  if (!*from) return Problem(Error::Invalid("from", "required", "Old size."));
  return Reply(services_.AuditConsistency(ActorOf(req), **from, *to), [](const auto& p) {
    return json::object{{"from", p.from_size},
                        {"to", p.to_size},
                        {"from_root", p.from_root},
                        {"to_root", p.to_root},
                        {"proof", json::value_from(p.path)}};
  });
}

Response Routes::Verify(Request& req) {
  return Reply(services_.VerifyAudit(ActorOf(req)), [](const auto& r) {
    return json::object{
        {"ok", r.ok},
        {"tree_size", r.size},
        {"root", r.root},
        {"first_bad_seq", r.first_bad_seq ? json::value(*r.first_bad_seq) : json::value(nullptr)},
        {"problem", r.problem},
        {"tree_heads_checked", r.tree_heads_checked}};
  });
}

}  // namespace chancery::audit
