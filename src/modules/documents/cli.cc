#include "modules/documents/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>

namespace chancery::documents {

using services::Actor;
using services::DocumentService;
using services::Fail;

namespace {

void PrintDocument(const Document& d) {
  std::cout << d.id << "\t" << DirectionName(d.direction) << "\t" << d.state << "\t"
            << (d.number_symbol.empty() ? d.original_number_symbol : d.number_symbol) << "\t"
            << d.subject << "\n";
}

struct DocOptions {
  std::string box = "all";
  std::string type, subject, issuer, number;
  std::vector<Id> recipients;
  Id id = 0;
  std::string action, comment, reason;
  Id lead_user = 0, lead_unit = 0, record = 0;
  int days = -1;
};

int List(DocumentService& s, const Actor& actor, const DocOptions& o) {
  static const std::map<std::string, services::Box> kBoxes{
      {"all", services::Box::kAll},
      {"drafts", services::Box::kDrafts},
      {"inbox", services::Box::kInbox},
      {"outgoing", services::Box::kOutgoing},
      {"incoming", services::Box::kIncoming},
      {"awaiting_approval", services::Box::kAwaitingApproval}};
  auto it = kBoxes.find(o.box);
  if (it == kBoxes.end()) return Fail(Error::Invalid("--box", "not_allowed_value", o.box));
  services::ListInput in;
  in.box = it->second;
  in.limit = 200;
  auto r = s.ListDocuments(actor, in);
  if (!r.ok()) return Fail(r.error());
  for (const auto& d : r->items) PrintDocument(d);
  return 0;
}

int Register(DocumentService& s, const Actor& actor, const DocOptions& o, bool outgoing) {
  services::DocumentInput in;
  in.subject = o.subject;
  if (outgoing) {
    in.type_code = o.type;
    in.recipient_unit_ids = o.recipients;
  } else {
    in.issuer_name = o.issuer;
    in.original_number_symbol = o.number;
    if (!o.reason.empty()) in.duplicate_reason = o.reason;
  }
  auto r = outgoing ? s.CreateDraft(actor, in) : s.ReceiveIncoming(actor, in);
  if (!r.ok()) return Fail(r.error());
  PrintDocument(r->document);
  if (!r->duplicates.empty())
    std::cout << "registered again over a duplicate: " << o.reason << "\n";
  return 0;
}

int Act(DocumentService& s, const Actor& actor, const DocOptions& o) {
  services::ActionInput in;
  in.comment = o.comment;
  in.reason = o.reason;
  if (o.lead_user) in.lead_user_id = o.lead_user;
  if (o.lead_unit) in.lead_unit_id = o.lead_unit;
  if (o.days >= 0) in.deadline_working_days = o.days;
  if (o.record) in.record_id = o.record;
  auto r = s.Act(actor, o.id, o.action, in);
  if (!r.ok()) return Fail(r.error());
  PrintDocument(*r);
  return 0;
}

int Show(DocumentService& s, const Actor& actor, const DocOptions& o) {
  auto r = s.GetDocument(actor, o.id);
  if (!r.ok()) return Fail(r.error());
  PrintDocument(r->document);
  std::cout << "allowed:";
  for (const auto& a : r->allowed_actions) std::cout << " " << a;
  std::cout << "\n";
  return 0;
}

}  // namespace

void AddCommands(services::Commands& c, services::ServiceOf<services::DocumentService> service) {
  auto o = std::make_shared<DocOptions>();
  CLI::App* doc = c.Group("doc", "Documents");
  CLI::App* list = c.Add(doc, "list", "List documents you can see", true, service,
                         [o](DocumentService& s, const Actor* a) { return List(s, *a, *o); });
  list->add_option("--box", o->box, "all, drafts, inbox, outgoing, incoming, ...");
  CLI::App* create =
      c.Add(doc, "create", "Start an outgoing draft", true, service,
            [o](DocumentService& s, const Actor* a) { return Register(s, *a, *o, true); });
  create->add_option("--type", o->type, "QĐ, TB, ... (empty: công văn)");
  create->add_option("--subject", o->subject)->required();
  create->add_option("--recipient", o->recipients);
  CLI::App* receive =
      c.Add(doc, "receive", "Receive an incoming document", true, service,
            [o](DocumentService& s, const Actor* a) { return Register(s, *a, *o, false); });
  receive->add_option("--issuer", o->issuer)->required();
  receive->add_option("--number", o->number, "its number/symbol")->required();
  receive->add_option("--subject", o->subject)->required();
  receive->add_option("--reason", o->reason,
                      "why a document already received (same number and issuer) comes again");
  CLI::App* act = c.Add(doc, "act", "Take an action on a document", true, service,
                        [o](DocumentService& s, const Actor* a) { return Act(s, *a, *o); });
  act->add_option("--id", o->id)->required();
  act->add_option("--action", o->action)->required();
  act->add_option("--comment", o->comment);
  act->add_option("--reason", o->reason);
  act->add_option("--lead-user", o->lead_user);
  act->add_option("--lead-unit", o->lead_unit);
  act->add_option("--working-days", o->days);
  act->add_option("--record", o->record);
  CLI::App* show = c.Add(doc, "show", "Show a document", true, service,
                         [o](DocumentService& s, const Actor* a) { return Show(s, *a, *o); });
  show->add_option("--id", o->id)->required();
}

}  // namespace chancery::documents
