#include "modules/org/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

namespace chancery::org {

using services::Actor;
using services::Fail;
using services::OrgService;

namespace {

void AddUnitCommands(services::Commands& c, const services::ServiceOf<OrgService>& service) {
  CLI::App* unit = c.Group("unit", "Units and reorganisations");
  c.Add(unit, "list", "List units", true, service, [](OrgService& s, const Actor* actor) {
    auto r = s.ListUnits(*actor);
    if (!r.ok()) return Fail(r.error());
    for (const auto& u : *r) {
      std::cout << u.id << "\t" << u.abbreviation << "\t" << u.name
                << "\tparent=" << (u.parent_id ? std::to_string(*u.parent_id) : "-")
                << (u.active ? "" : "\tretired") << "\n";
    }
    return 0;
  });

  struct UnitOptions {
    std::string name, abbreviation, agency_code;
    Id parent = 0, id = 0;
    bool issues = false;
  };
  auto o = std::make_shared<UnitOptions>();
  CLI::App* create =
      c.Add(unit, "create", "Create a unit", true, service, [o](OrgService& s, const Actor* a) {
        services::UnitInput in;
        in.name = o->name;
        in.abbreviation = o->abbreviation;
        in.agency_code = o->agency_code;
        if (o->parent) in.parent_id = o->parent;
        in.issues_documents = o->issues;
        auto r = s.CreateUnit(*a, in);
        if (!r.ok()) return Fail(r.error());
        std::cout << r->id << "\n";
        return 0;
      });
  create->add_option("--name", o->name)->required();
  create->add_option("--abbreviation", o->abbreviation)->required();
  create->add_option("--parent", o->parent);
  create->add_option("--agency-code", o->agency_code);
  create->add_flag("--issues-documents", o->issues);

  auto change = [o](bool rename) {
    return [o, rename](OrgService& s, const Actor* a) {
      services::UnitInput in;
      if (rename) {
        in.name = o->name;
        if (!o->abbreviation.empty()) in.abbreviation = o->abbreviation;
      } else {
        in.parent_id = o->parent;
      }
      auto r = s.UpdateUnit(*a, o->id, in, std::nullopt);
      if (!r.ok()) return Fail(r.error());
      std::cout << r->id << "\t" << r->name << "\n";
      return 0;
    };
  };
  CLI::App* rename = c.Add(unit, "rename", "Rename a unit", true, service, change(true));
  rename->add_option("--id", o->id)->required();
  rename->add_option("--name", o->name)->required();
  rename->add_option("--abbreviation", o->abbreviation);
  CLI::App* move = c.Add(unit, "move", "Move a unit under another", true, service, change(false));
  move->add_option("--id", o->id)->required();
  move->add_option("--parent", o->parent)->required();

  struct ReorgOptions {
    std::string kind, date;
    std::vector<Id> sources, targets;
    Id successor = 0;
  };
  auto r = std::make_shared<ReorgOptions>();
  CLI::App* reorg = c.Add(unit, "reorganize", "Merge, split or dissolve", true, service,
                          [r](OrgService& s, const Actor* a) {
                            services::ReorganizationInput in;
                            in.kind = r->kind;
                            if (!ParseDate(r->date, &in.effective_date)) {
                              return Fail(Error::Invalid("--effective", "bad_date", "YYYY-MM-DD"));
                            }
                            in.sources = r->sources;
                            in.targets = r->targets;
                            if (r->successor) in.successor_id = r->successor;
                            auto done = s.Reorganize(*a, in);
                            if (!done.ok()) return Fail(done.error());
                            std::cout << "reorganization " << done->reorganization.id << ": "
                                      << done->transferred << " objects transferred\n";
                            return 0;
                          });
  reorg->add_option("--kind", r->kind, "merge | split | dissolve")->required();
  reorg->add_option("--effective", r->date, "YYYY-MM-DD")->required();
  reorg->add_option("--source", r->sources)->required();
  reorg->add_option("--target", r->targets)->required();
  reorg->add_option("--successor", r->successor);

  CLI::App* transfers = c.Add(unit, "transfers", "Where a unit's open work went", true, service,
                              [o](OrgService& s, const Actor* a) {
                                auto t = s.UnitTransfers(*a, o->id);
                                if (!t.ok()) return Fail(t.error());
                                for (const auto& x : *t) {
                                  std::cout << x.object_type << "\t" << x.object_id << "\t-> unit "
                                            << x.to_unit_id << "\n";
                                }
                                return 0;
                              });
  transfers->add_option("--id", o->id)->required();
}

void AddUserCommands(services::Commands& c, const services::ServiceOf<OrgService>& service) {
  CLI::App* user = c.Group("user", "Users");
  c.Add(user, "list", "List users", true, service, [](OrgService& s, const Actor* a) {
    auto r = s.ListUsers(*a, std::nullopt, 500);
    if (!r.ok()) return Fail(r.error());
    for (const auto& u : *r) {
      std::cout << u.id << "\t" << u.username << "\t" << u.full_name << "\tunit=" << u.unit_id
                << "\t" << ClassificationName(u.clearance) << "\n";
    }
    return 0;
  });

  struct UserOptions {
    std::string username, full_name, position, clearance = "normal", password;
    std::vector<std::string> roles;
    Id unit = 0;
  };
  auto o = std::make_shared<UserOptions>();
  CLI::App* create =
      c.Add(user, "create", "Create a user", true, service, [o](OrgService& s, const Actor* a) {
        services::UserInput in;
        in.username = o->username;
        in.full_name = o->full_name;
        in.unit_id = o->unit;
        in.position = o->position;
        std::uint32_t roles = 0;
        for (const auto& r : o->roles) {
          auto role = ParseRole(r);
          if (!role)
            return Fail(Error::Invalid("--role", "not_allowed_value", "unknown role " + r));
          roles |= *role;
        }
        in.roles = roles;
        auto clearance = ParseClassification(o->clearance);
        if (!clearance) {
          return Fail(Error::Invalid("--clearance", "not_allowed_value", "unknown clearance"));
        }
        in.clearance = *clearance;
        in.password = o->password;
        auto r = s.CreateUser(*a, in);
        if (!r.ok()) return Fail(r.error());
        std::cout << r->id << "\n";
        return 0;
      });
  create->add_option("--username", o->username)->required();
  create->add_option("--full-name", o->full_name)->required();
  create->add_option("--unit", o->unit)->required();
  create->add_option("--position", o->position);
  create->add_option("--role", o->roles,
                     "clerk, specialist, leader, administrator, security_officer");
  create->add_option("--clearance", o->clearance, "normal, mat, toi_mat, tuyet_mat");
  create->add_option("--password", o->password)->required();
}

}  // namespace

void AddCommands(services::Commands& commands, services::ServiceOf<services::OrgService> service) {
  AddUnitCommands(commands, service);
  AddUserCommands(commands, service);
}

}  // namespace chancery::org
