// The documents module's schema steps, in order (migrations/NNN_name.sql),
// and the triggers of step 2, whose wrapping differs between the engines.
#include <string>
#include <string_view>

#include "modules/documents/store.h"

namespace chancery::documents {

namespace {

// Adds `sign` to the open-work counter of every row that the FROM and WHERE
// of `source` yield and that counts as open work (002_open_work.sql), with
// `a`, `d` and `p` naming the assignment, its document and its lead person:
// the one counting rule, written once for every trigger.
struct Rows {
  std::string_view a, d, p, source;
};

std::string Count(const Rows& r, std::string_view sign) {
  const std::string a(r.a), d(r.d), p(r.p);
  const std::string unit = "COALESCE(" + a + ".lead_unit_id, " + p + ".unit_id)";
  return "INSERT INTO open_work(unit_id, classification, deadline, n) SELECT " + unit + ", " + d +
         ".classification, COALESCE(" + a + ".deadline, " + d + ".deadline, ''), " +
         std::string(sign) + " FROM " + std::string(r.source) + " AND " + a +
         ".state = 'open' AND " + a + ".parent_id IS NULL AND " + d +
         ".state IN ('assigned', 'in_progress') AND " + unit +
         " IS NOT NULL ON CONFLICT (unit_id, classification, deadline) DO UPDATE SET n = "
         "open_work.n + excluded.n;\n";
}

struct Trigger {
  std::string_view name, event, when;
  std::string body;
};

std::string Create(const Trigger& t, sql::Dialect dialect) {
  const std::string name(t.name), event(t.event), when(t.when);
  if (dialect == sql::Dialect::kPostgres) {
    return "CREATE FUNCTION " + name + "_fn() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n" +
           t.body + "RETURN NULL;\nEND\n$$;\nCREATE TRIGGER " + name + " AFTER " + event +
           " FOR EACH ROW" + (when.empty() ? "" : " WHEN (" + when + ")") + " EXECUTE FUNCTION " +
           name + "_fn();\n";
  }
  return "CREATE TRIGGER " + name + " AFTER " + event + " FOR EACH ROW" +
         (when.empty() ? "" : " WHEN " + when) + " BEGIN\n" + t.body + "END;\n";
}

// Every change that can move an assignment into, out of or between
// counters: the assignment itself, its document's state, classification or
// deadline, and the lead person's unit.
Status CreateOpenWorkTriggers(sql::Connection& c) {
  const Rows inserted{"new", "d", "p",
                      "documents d LEFT JOIN users p ON p.id = new.lead_user_id "
                      "WHERE d.id = new.document_id"};
  const Rows removed{"old", "d", "p",
                     "documents d LEFT JOIN users p ON p.id = old.lead_user_id "
                     "WHERE d.id = old.document_id"};
  const std::string_view of_document =
      "assignments a LEFT JOIN users p ON p.id = a.lead_user_id WHERE a.document_id = new.id";
  const std::string_view of_person =
      "assignments a JOIN documents d ON d.id = a.document_id "
      "WHERE a.lead_user_id = new.id AND a.lead_unit_id IS NULL";
  const Trigger triggers[] = {
      {"open_work_assignment_insert", "INSERT ON assignments", "", Count(inserted, "1")},
      {"open_work_assignment_delete", "DELETE ON assignments", "", Count(removed, "-1")},
      {"open_work_assignment_update", "UPDATE ON assignments",
       "old.state IS DISTINCT FROM new.state OR old.parent_id IS DISTINCT FROM new.parent_id OR "
       "old.lead_unit_id IS DISTINCT FROM new.lead_unit_id OR old.lead_user_id IS DISTINCT FROM "
       "new.lead_user_id OR old.deadline IS DISTINCT FROM new.deadline OR old.document_id IS "
       "DISTINCT FROM new.document_id",
       Count(removed, "-1") + Count(inserted, "1")},
      {"open_work_document_update", "UPDATE OF state, classification, deadline ON documents",
       "old.state IS DISTINCT FROM new.state OR old.classification IS DISTINCT FROM "
       "new.classification OR old.deadline IS DISTINCT FROM new.deadline",
       Count({"a", "old", "p", of_document}, "-1") + Count({"a", "new", "p", of_document}, "1")},
      {"open_work_person_update", "UPDATE OF unit_id ON users",
       "old.unit_id IS DISTINCT FROM new.unit_id",
       Count({"a", "d", "old", of_person}, "-1") + Count({"a", "d", "new", of_person}, "1")},
  };
  std::string script;
  for (const Trigger& t : triggers) script += Create(t, c.dialect());
  return c.ExecScript(script);
}

}  // namespace

sql::ModuleMigrations Migrations() {
  sql::ModuleMigrations m{"documents",
                          {
#include "migrations/documents.inc"
                          }};
  for (sql::Migration& step : m.steps) {
    if (step.name == "002_open_work") step.code = CreateOpenWorkTriggers;
    // 003 indexed the documents before their text had a table; 004 makes
    // that table and indexes them again, with their comments and notes.
    if (step.name == "003_search_index") step.code = IndexAllDocumentsWithoutText;
    if (step.name == "004_file_texts") step.code = IndexAllDocuments;
  }
  return m;
}

}  // namespace chancery::documents
