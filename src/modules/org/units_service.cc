// Services: units and reorganisations.
#include <argon2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "core/digest.h"
#include "core/document_flow.h"
#include "modules/org/service.h"
#include "modules/org/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

// ---------------------------------------------------------------- units

namespace {
Status RequireRole(const Actor& actor, std::uint32_t roles) {
  if ((actor.roles & roles) == 0) {
    return MakeError(ErrorCode::kForbidden, "Your roles do not allow this.");
  }
  return Ok();
}

json::object UnitJson(const Unit& u) {
  return {{"name", u.name},
          {"abbreviation", u.abbreviation},
          {"parent_id", u.parent_id ? json::value(*u.parent_id) : json::value(nullptr)}};
}

Status ValidateUnit(const Unit& u) {
  CHY_TRY_STATUS(CheckText("name", u.name, 300, true));
  CHY_TRY_STATUS(CheckText("abbreviation", u.abbreviation, 30, true));
  CHY_TRY_STATUS(CheckText("agency_code", u.agency_code, 40, false));
  return Ok();
}
}  // namespace

Status RequireRoles(const Actor& actor, std::uint32_t roles) { return RequireRole(actor, roles); }

Result<std::vector<Unit>> OrgService::ListUnits(const Actor&) {
  std::vector<Unit> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, org::Store(tx).ListUnits());
    return Ok();
  }));
  return out;
}

Result<Unit> OrgService::GetUnit(const Actor&, Id id) {
  Unit out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, org::Store(tx).GetUnit(id));
    return Ok();
  }));
  return out;
}

Result<Unit> OrgService::CreateUnit(const Actor& actor, const UnitInput& in) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin));
  Unit u;
  u.name = in.name.value_or("");
  u.abbreviation = in.abbreviation.value_or("");
  u.agency_code = in.agency_code.value_or("");
  if (in.parent_id) u.parent_id = *in.parent_id;
  u.issues_documents = in.issues_documents.value_or(false);
  CHY_TRY_STATUS(ValidateUnit(u));
  const Date effective = in.effective_date.value_or(Today());
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    if (u.parent_id) {
      auto parent = org::Store(tx).GetUnit(*u.parent_id);
      if (!parent.ok() || !parent->active) {
        return Error::Invalid("parent_id", "unknown", "No active unit with this id.");
      }
    }
    CHY_TRY(u.id, org::Store(tx).InsertUnit(u, effective));
    return Audit(tx, &actor, "unit.create", "unit", u.id, json::serialize(UnitJson(u)));
  }));
  return u;
}

Result<Unit> OrgService::UpdateUnit(const Actor& actor, Id id, const UnitInput& in,
                                    std::optional<std::int64_t> expected_version) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin));
  Unit u;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(u, org::Store(tx).GetUnit(id));
    if (expected_version && *expected_version != u.version) {
      return MakeError(ErrorCode::kPreconditionFailed, "The unit was changed by someone else.");
    }
    if (!u.active) {
      Error e = MakeError(ErrorCode::kInvalidTransition, "The unit has been retired.");
      return e;
    }
    const Unit before = u;
    if (in.name) u.name = *in.name;
    if (in.abbreviation) u.abbreviation = *in.abbreviation;
    if (in.agency_code) u.agency_code = *in.agency_code;
    if (in.issues_documents) u.issues_documents = *in.issues_documents;
    if (in.parent_id) {
      u.parent_id = *in.parent_id;
      // No cycles: the new parent may not be the unit or one of its descendants.
      for (std::optional<Id> p = u.parent_id; p;) {
        if (*p == u.id) {
          return Error::Invalid("parent_id", "cycle", "A unit cannot move under itself.");
        }
        auto parent = org::Store(tx).GetUnit(*p);
        if (!parent.ok())
          return MissingAs(parent, Error::Invalid("parent_id", "unknown", "No such unit."));
        p = parent->parent_id;
      }
    }
    CHY_TRY_STATUS(ValidateUnit(u));
    CHY_TRY_STATUS(org::Store(tx).UpdateUnit(u, in.effective_date.value_or(Today()), std::nullopt));
    ++u.version;
    json::object details{{"before", UnitJson(before)}, {"after", UnitJson(u)}};
    return Audit(tx, &actor, before.parent_id != u.parent_id ? "unit.move" : "unit.update", "unit",
                 u.id, json::serialize(details));
  }));
  return u;
}

Result<org::UnitVersion> OrgService::UnitAsOf(const Actor&, Id id, Date date) {
  org::UnitVersion out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(org::Store(tx).GetUnit(id));
    CHY_TRY(out, org::Store(tx).UnitAsOf(id, date));
    return Ok();
  }));
  return out;
}

Result<std::vector<org::UnitVersion>> OrgService::UnitHistory(const Actor&, Id id) {
  std::vector<org::UnitVersion> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(org::Store(tx).GetUnit(id));
    CHY_TRY(out, org::Store(tx).UnitHistory(id));
    return Ok();
  }));
  return out;
}

Result<std::vector<org::Transfer>> OrgService::UnitTransfers(const Actor&, Id id) {
  std::vector<org::Transfer> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(org::Store(tx).GetUnit(id));
    CHY_TRY(out, org::Store(tx).TransfersFrom(id));
    return Ok();
  }));
  return out;
}

Result<ReorganizationResult> OrgService::Reorganize(const Actor& actor,
                                                    const ReorganizationInput& in) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin));
  const std::size_t target_count = in.targets.size() + in.new_units.size();
  if (in.kind == "merge") {
    if (in.sources.size() < 2 || target_count != 1) {
      return Error::Invalid("sources", "shape", "A merge takes two or more units into one.");
    }
  } else if (in.kind == "split") {
    if (in.sources.size() != 1 || target_count < 2) {
      return Error::Invalid("targets", "shape", "A split turns one unit into two or more.");
    }
  } else if (in.kind == "dissolve") {
    if (in.sources.size() != 1 || target_count != 1) {
      return Error::Invalid("targets", "shape",
                            "Dissolving a unit names exactly one successor for its work.");
    }
  } else {
    return Error::Invalid("kind", "not_allowed_value", "Use merge, split or dissolve.");
  }
  if (in.effective_date > Today()) {
    return Error::Invalid("effective_date", "future",
                          "Reorganisations take effect today or earlier; schedule later ones "
                          "on their day.");
  }
  for (const Unit& nu : in.new_units) CHY_TRY_STATUS(ValidateUnit(nu));
  ReorganizationResult result;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    std::set<Id> sources(in.sources.begin(), in.sources.end());
    if (sources.size() != in.sources.size()) {
      return Error::Invalid("sources", "duplicate", "A unit is listed twice.");
    }
    for (Id s : in.sources) {
      auto u = org::Store(tx).GetUnit(s);
      if (!u.ok() || !u->active) {
        return Error::Invalid("sources", "unknown",
                              "Unit " + std::to_string(s) + " is not an active unit.");
      }
    }
    std::vector<Id> targets = in.targets;
    for (Id t : targets) {
      auto u = org::Store(tx).GetUnit(t);
      if (!u.ok() || !u->active || sources.count(t)) {
        return Error::Invalid("targets", "unknown",
                              "Unit " + std::to_string(t) + " cannot receive the work.");
      }
      // The sources' sub-units move under the successor: a target inside a
      // source's subtree would become its own ancestor.
      for (Id s : in.sources) {
        CHY_TRY(bool below, org::Store(tx).IsWithin(t, s));
        if (below) {
          return Error::Invalid("targets", "cycle",
                                u->name +
                                    " lies inside a unit being reorganised; choose a "
                                    "successor outside it.");
        }
      }
    }
    for (const Unit& nu : in.new_units) {
      for (Id s : in.sources) {
        if (!nu.parent_id) continue;
        CHY_TRY(bool below, org::Store(tx).IsWithin(*nu.parent_id, s));
        if (below) {
          return Error::Invalid("new_units", "cycle",
                                "A new unit cannot sit inside a unit being reorganised.");
        }
      }
    }
    for (const Unit& nu : in.new_units) {
      CHY_TRY(Id id, org::Store(tx).InsertUnit(nu, in.effective_date));
      targets.push_back(id);
      result.created_unit_ids.push_back(id);
    }
    const Id successor = in.successor_id.value_or(targets.front());
    if (std::find(targets.begin(), targets.end(), successor) == targets.end()) {
      return Error::Invalid("successor_id", "not_a_target", "The successor must be a target.");
    }
    org::Reorganization r{0, in.kind, in.effective_date, in.note, in.sources, targets};
    CHY_TRY(r.id, org::Store(tx).InsertReorganization(r, actor.id, clock_.Now()));
    for (Id s : in.sources) {
      CHY_TRY(Unit u, org::Store(tx).GetUnit(s));
      u.active = false;
      u.retired_on = in.effective_date;
      u.successor_id = successor;
      CHY_TRY_STATUS(org::Store(tx).UpdateUnit(u, in.effective_date, r.id));
      CHY_TRY(int moved, org::Store(tx).TransferOpenWork(s, successor, r.id));
      result.transferred += moved;
      // Child units follow their parent to the successor.
      CHY_TRY(auto all, org::Store(tx).ListUnits());
      for (Unit child : all) {
        if (child.parent_id == s && child.active) {
          child.parent_id = successor;
          CHY_TRY_STATUS(org::Store(tx).UpdateUnit(child, in.effective_date, r.id));
        }
      }
    }
    result.reorganization = r;
    json::object details{{"kind", in.kind},
                         {"effective_date", FormatDate(in.effective_date)},
                         {"sources", json::value_from(in.sources)},
                         {"targets", json::value_from(targets)},
                         {"successor", successor},
                         {"transferred", result.transferred}};
    return Audit(tx, &actor, "unit.reorganize", "reorganization", r.id, json::serialize(details));
  }));
  return result;
}

Result<std::vector<std::string>> OrgService::CheckUnitTree() {
  std::vector<std::string> problems;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto units, org::Store(tx).ListUnits());
    std::map<Id, const Unit*> by_id;
    for (const auto& u : units) by_id[u.id] = &u;
    for (const auto& u : units) {
      std::set<Id> seen{u.id};
      for (std::optional<Id> p = u.parent_id; p;) {
        auto it = by_id.find(*p);
        if (it == by_id.end()) {
          problems.push_back("orphan: unit " + std::to_string(u.id) + " (" + u.abbreviation +
                             ") has a missing parent " + std::to_string(*p));
          break;
        }
        if (!seen.insert(*p).second) {
          problems.push_back("cycle: unit " + std::to_string(u.id) + " (" + u.abbreviation +
                             ") is its own ancestor");
          break;
        }
        if (u.active && p == u.parent_id && !it->second->active) {
          problems.push_back("orphan: active unit " + std::to_string(u.id) + " (" + u.abbreviation +
                             ") sits under a retired unit");
        }
        p = it->second->parent_id;
      }
    }
    return Ok();
  }));
  return problems;
}

}  // namespace chancery::services
