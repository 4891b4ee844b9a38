// The services over a real store, across modules: one suite, run on SQLite
// and PostgreSQL (services/testing.h). Each module's own use cases are
// tested in its folder (src/modules/<name>/service_test.cc).
#include <gtest/gtest.h>

#include <random>

#include "lib/merkle/merkle.h"
#include "modules/exchange/store.h"
#include "services/testing.h"

namespace chancery::services {
namespace {

using namespace std::chrono;

using testing::ServicesTest;

// Delivery to another agency (docs/exchange.md), with the network faked: a
// peer that is down is retried with growing, jittered delays until the
// configured time runs out, then the delivery fails and says so; a peer that
// refuses is not retried.
TEST_P(ServicesTest, DeliveryBacksOffWithJitterThenFailsAndARefusalIsFinal) {
  Config cfg = config_;
  cfg.agency_code = "000.00.01.A01";
  app::ModuleSettings settings = settings_;
  settings.signatures.key_secret = "exchange-test-secret";
  settings.exchange.retry_base = seconds(1);
  settings.exchange.retry_cap = seconds(8);
  settings.exchange.give_up_after = seconds(60);
  app::Modules ex(Core(*store_, blobs_, clock_, random_, calendar_, cfg), settings);
  ASSERT_TRUE(ex.signatures.CreateNodeCa(admin_, {}).ok());
  auto identity = ex.exchange.Identity();
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  for (const char* code : {"000.00.01.B01", "000.00.01.C01"}) {
    exchange::Peer p;
    p.agency_code = code;
    p.name = code;
    p.endpoint = "https://127.0.0.1:1";
    p.certificate_pem = identity->certificate_pem;
    p.ca_pem = identity->ca_pem;
    ASSERT_TRUE(ex.exchange.PutPeer(admin_, p).ok());
  }
  // A paper document to both agencies.
  DocumentInput in;
  in.type_code = "TB";
  in.subject = "Thông báo liên thông";
  in.recipient_agency_codes = std::vector<std::string>{"000.00.01.B01", "000.00.01.C01"};
  auto d = ex.documents.CreateDraft(spec_, in);
  ASSERT_TRUE(d.ok()) << d.error().message;
  const Id id = d->document.id;
  for (const auto& [who, action] : std::vector<std::pair<User, std::string>>{{spec_, "submit"},
                                                                             {leader_, "approve"},
                                                                             {leader_, "sign"},
                                                                             {clerk_, "number"},
                                                                             {clerk_, "seal"},
                                                                             {clerk_, "issue"}}) {
    auto r = ex.documents.Act(who, id, action, {});
    ASSERT_TRUE(r.ok()) << action << ": " << r.error().message;
  }
  // B is down; C refuses.
  int calls_b = 0, calls_c = 0;
  PeerTransport send = [&](const exchange::Peer& peer, const std::string& path, const std::string&,
                           const std::string&) -> Result<TransportReply> {
    EXPECT_EQ(path, "/exchange/v1/packages");
    if (peer.agency_code == "000.00.01.B01") {
      ++calls_b;
      return MakeError(ErrorCode::kUnavailable, "Cannot connect.");
    }
    ++calls_c;
    return TransportReply{422,
                          R"({"code":"exchange.refused","reason":"CLASSIFICATION","detail":"no"})"};
  };
  std::vector<std::int64_t> delays;
  Timestamp last_due = clock_.Now();
  for (int round = 0; round < 40; ++round) {
    auto r = ex.exchange.DeliverDue(send, 10);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto recipients = ex.exchange.ExchangeOf(clerk_, id);
    ASSERT_TRUE(recipients.ok());
    std::string b_state;
    for (const auto& rec : *recipients) {
      if (rec.agency_code == "000.00.01.B01") b_state = rec.delivery;
    }
    if (b_state == "failed") break;
    auto pending = ex.exchange.ListOutbox(clerk_, "pending", std::nullopt, 50);
    ASSERT_TRUE(pending.ok());
    ASSERT_EQ(pending->items.size(), 1u);
    const Timestamp due = pending->items.front().next_attempt_at;
    if (due > last_due) {
      delays.push_back(duration_cast<milliseconds>(due - clock_.Now()).count());
      last_due = due;
    }
    clock_.Set(due);  // nothing is retried before it is due
    EXPECT_TRUE(ex.exchange.DeliverDue(send, 10).ok());
  }
  EXPECT_EQ(calls_c, 1);  // refused once, never again
  ASSERT_GE(delays.size(), 4u);
  // 1 s, 2 s, 4 s, 8 s, 8 s ... each times a factor in [0.5, 1].
  for (std::size_t i = 0; i < delays.size(); ++i) {
    const std::int64_t nominal =
        std::min<std::int64_t>(1000LL << std::min<std::size_t>(i, 3), 8000);
    EXPECT_GE(delays[i], nominal / 2) << i;
    EXPECT_LE(delays[i], nominal) << i;
  }
  EXPECT_GT(calls_b, 5);
  auto recipients = ex.exchange.ExchangeOf(clerk_, id);
  ASSERT_TRUE(recipients.ok());
  for (const auto& rec : *recipients) {
    if (rec.agency_code == "000.00.01.B01") {
      EXPECT_EQ(rec.delivery, "failed");
      EXPECT_EQ(rec.last_error, "Cannot connect.");
    } else {
      EXPECT_EQ(rec.delivery, "refused");
      EXPECT_EQ(rec.latest_code, "02");
      EXPECT_NE(rec.last_error.find("CLASSIFICATION"), std::string::npos);
    }
  }
  // The clerk is told: both ends are audited and the failed one is listed.
  auto failed = ex.exchange.ListOutbox(clerk_, "failed", std::nullopt, 50);
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->items.size(), 1u);
  for (const char* action : {"exchange.failed", "exchange.refused"}) {
    auto audit = ex.audit.ListAudit(admin_, {.action = action});
    ASSERT_TRUE(audit.ok());
    EXPECT_EQ(audit->size(), 1u) << action;
  }
}

TEST_P(ServicesTest, ADatabaseOfSchemaVersion1IsBroughtUpToDate) {
  // What an older build left behind: no users.language, no users.name_fold.
  ASSERT_TRUE(db_->Transact(sql::Database::Mode::kWrite,
                            [](sql::Connection& c) -> Status {
                              CHY_TRY_STATUS(c.Exec("ALTER TABLE users DROP COLUMN language"));
                              CHY_TRY_STATUS(c.Exec("ALTER TABLE users DROP COLUMN name_fold"));
                              return c.Exec(
                                  "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
                            })
                  .ok());
  ASSERT_TRUE(store_->Migrate(app::AllMigrations()).ok());
  ASSERT_TRUE(store_->Migrate(app::AllMigrations()).ok());  // and once more: nothing left to do
  auto found = services_->org.FindPeople(spec_, {.text = "Root"});
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().language, "vi");
  auto set = services_->org.SetLanguage(admin_, "fr");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->language, "fr");
  EXPECT_EQ(services_->org.SetLanguage(admin_, "de").error().code, ErrorCode::kInvalidArgument);
}

TEST_P(ServicesTest, NumbersRestartEachYearAndSeriesAreSeparate) {
  auto number = [&](Id id) {
    auto d = services_->documents.Act(clerk_, id, "number", {});
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return d.ok() ? d->number_symbol : "";
  };
  EXPECT_EQ(number(SignedDraft("QĐ")), "01/QĐ-BQP");
  EXPECT_EQ(number(SignedDraft("")), "02/BQP-VP");
  EXPECT_EQ(number(SignedDraft("TB")), "03/TB-BQP");
  EXPECT_EQ(number(SignedDraft("CT", Classification::kConfidential)), "01/CT-BQP");  // secret
  EXPECT_EQ(number(SignedDraft("QĐ", Classification::kNormal, true)), "01/QĐ-BQP");  // legal
  EXPECT_EQ(number(SignedDraft("TB")), "04/TB-BQP");
  // 1 January in Hanoi (17:00 UTC on 31 December) starts a new series.
  clock_.Set(sys_days{2025y / December / 31} + 17h);
  EXPECT_EQ(number(SignedDraft("TB")), "01/TB-BQP");
}

TEST_P(ServicesTest, RefusedActionLeavesTheStoreAsItWas) {
  const Id id = SignedDraft("QĐ");
  std::pair<std::int64_t, std::string> before;
  ASSERT_TRUE(store_
                  ->Read([&](store::Tx& tx) -> Status {
                    CHY_TRY(before, audit::Store(tx).AuditHead());
                    return Ok();
                  })
                  .ok());
  auto r = services_->documents.Act(clerk_, id, "issue", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidTransition);
  EXPECT_EQ(r.error().allowed, std::vector<std::string>{"number"});
  auto forbidden = services_->documents.Act(spec_, id, "number", {});
  EXPECT_EQ(forbidden.error().code, ErrorCode::kForbidden);
  std::pair<std::int64_t, std::string> after;
  ASSERT_TRUE(store_
                  ->Read([&](store::Tx& tx) -> Status {
                    CHY_TRY(after, audit::Store(tx).AuditHead());
                    return Ok();
                  })
                  .ok());
  EXPECT_EQ(before, after);
}

TEST_P(ServicesTest, LoginLocksAfterRepeatedFailures) {
  for (int i = 0; i < 3; ++i) {
    auto r = services_->org.Login("spec", "wrong", "bearer");
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  auto locked = services_->org.Login("spec", "password-spec", "bearer");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::kAccountLocked);
  clock_.Advance(minutes(16));
  auto ok = services_->org.Login("spec", "password-spec", "bearer");
  ASSERT_TRUE(ok.ok());
  auto who = services_->org.Authenticate(ok->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->first.username, "spec");
  clock_.Advance(hours(24 * 91));
  EXPECT_FALSE(services_->org.Authenticate(ok->token).ok());
}

TEST_P(ServicesTest, AssignmentDeadlineCountsWorkingDaysAndFeedsOverdueLists) {
  DocumentInput in;
  in.issuer_name = "Bộ Nội vụ";
  in.original_number_symbol = "1/BNV";
  in.subject = "Văn bản đến";
  auto d = services_->documents.ReceiveIncoming(clerk_, in);
  ASSERT_TRUE(d.ok()) << d.error().message;
  const Id id = d->document.id;
  ASSERT_TRUE(services_->documents.Act(clerk_, id, "register", {}).ok());
  ActionInput assign;
  assign.lead_user_id = spec_.id;
  assign.deadline_working_days = 3;
  auto a = services_->documents.Act(leader_, id, "assign", assign);
  ASSERT_TRUE(a.ok()) << a.error().message;
  // Monday 22 Dec 2025 + 3 working days = Thursday 25 Dec.
  EXPECT_EQ(FormatDate(*a->deadline), "2025-12-25");
  auto soon = services_->documents.DueSoon(spec_, std::nullopt, true, std::nullopt, 50);
  ASSERT_TRUE(soon.ok());
  EXPECT_EQ(soon->items.size(), 1u);
  clock_.Set(sys_days{2025y / December / 29} + 2h);
  auto overdue = services_->documents.Overdue(spec_, std::nullopt, true, std::nullopt, 50);
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->items.size(), 1u);
  EXPECT_EQ(overdue->items[0].id, id);
  auto unit_overdue = services_->documents.Overdue(leader_, root_, false, std::nullopt, 50);
  ASSERT_TRUE(unit_overdue.ok());
  EXPECT_EQ(unit_overdue->items.size(), 1u);
}

TEST_P(ServicesTest, AuditVerifyNamesTheFirstAlteredRecord) {
  SignedDraft("QĐ");
  auto ok = services_->audit.VerifyAudit(admin_);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok);
  ASSERT_GT(ok->size, 5);
  // Someone with database access edits record 5.
  ASSERT_TRUE(store_
                  ->Write([&](store::Tx& tx) {
                    return tx.connection().Exec(
                        "UPDATE audit_log SET record = replace(record, 'spec', 'sp3c') "
                        "WHERE seq = 5");
                  })
                  .ok());
  auto altered = services_->audit.VerifyAudit(admin_);
  ASSERT_TRUE(altered.ok());
  EXPECT_FALSE(altered->ok);
  EXPECT_EQ(*altered->first_bad_seq, 5);
  EXPECT_EQ(altered->problem, "altered");
}

TEST_P(ServicesTest, AuditVerifyNamesRemovedAndReorderedRecords) {
  SignedDraft("QĐ");
  ASSERT_TRUE(store_
                  ->Write([&](store::Tx& tx) {
                    return tx.connection().Exec("DELETE FROM audit_log WHERE seq = 3");
                  })
                  .ok());
  auto removed = services_->audit.VerifyAudit(admin_);
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(removed->ok);
  EXPECT_EQ(*removed->first_bad_seq, 3);
  EXPECT_EQ(removed->problem, "missing");
}

TEST_P(ServicesTest, AuditVerifyDetectsSwappedRecords) {
  SignedDraft("QĐ");
  // Swap the contents (and stored hashes) of records 2 and 4.
  ASSERT_TRUE(store_
                  ->Write([&](store::Tx& tx) -> Status {
                    CHY_TRY(auto rows, audit::Store(tx).AuditRange(2, 5));
                    const auto& a = rows[0];
                    const auto& b = rows[2];
                    CHY_TRY_STATUS(tx.connection().Exec(
                        "UPDATE audit_log SET record = $1, leaf_hash = $2 WHERE seq = 2",
                        {b.record, b.leaf_hash}));
                    return tx.connection().Exec(
                        "UPDATE audit_log SET record = $1, leaf_hash = $2 WHERE seq = 4",
                        {a.record, a.leaf_hash});
                  })
                  .ok());
  auto swapped = services_->audit.VerifyAudit(admin_);
  ASSERT_TRUE(swapped.ok());
  EXPECT_FALSE(swapped->ok);
  EXPECT_EQ(*swapped->first_bad_seq, 2);
}

TEST_P(ServicesTest, DissolvingAUnitHandsItsWorkToTheSuccessor) {
  auto pa = services_->org.CreateUnit(admin_, {.name = "Phòng A",
                                               .abbreviation = "PA",
                                               .parent_id = std::optional<Id>(root_),
                                               .effective_date = Today() - days(30)});
  ASSERT_TRUE(pa.ok());
  DocumentInput in;
  in.issuer_name = "Bộ Y tế";
  in.original_number_symbol = "2/BYT";
  in.subject = "Gửi Phòng A";
  in.unit_id = pa->id;
  auto d = services_->documents.ReceiveIncoming(clerk_, in);
  ASSERT_TRUE(d.ok());
  ReorganizationInput r;
  r.kind = "dissolve";
  r.effective_date = Today();
  r.sources = {pa->id};
  r.targets = {vp_};
  auto done = services_->org.Reorganize(admin_, r);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->transferred, 1);
  auto moved = services_->documents.GetDocument(clerk_, d->document.id);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->document.unit_id, vp_);
  auto then = services_->org.UnitAsOf(admin_, pa->id, Today() - days(1));
  ASSERT_TRUE(then.ok());
  EXPECT_TRUE(then->active);
  auto now = services_->org.UnitAsOf(admin_, pa->id, Today());
  ASSERT_TRUE(now.ok());
  EXPECT_FALSE(now->active);
}

// Issue #11: whatever administrators do to the tree — create, move, merge,
// split, dissolve, in any order, refused or not — no unit becomes its own
// ancestor, no active unit sits under a retired one, and no open work is
// left with a retired unit or lost. Random sequences from fixed seeds.
TEST_P(ServicesTest, ReorganisationsNeverMakeACycleNorLoseOpenWork) {
  auto open_work = [&](std::int64_t* total, std::int64_t* stranded) {
    ASSERT_TRUE(
        store_
            ->Read([&](store::Tx& tx) -> Status {
              CHY_TRY(auto all, tx.connection().Query(
                                    "SELECT COUNT(*) FROM documents WHERE state = 'received'"));
              CHY_TRY(auto bad,
                      tx.connection().Query("SELECT COUNT(*) FROM documents d JOIN units u ON "
                                            "u.id = d.unit_id WHERE d.state = 'received' AND "
                                            "u.active = 0"));
              *total = all.rows[0].Int(0);
              *stranded = bad.rows[0].Int(0);
              return Ok();
            })
            .ok());
  };
  std::mt19937 random(20261205);
  std::int64_t expected_open = 0;
  int applied = 0, refused = 0;
  for (int step = 0; step < 120; ++step) {
    clock_.Advance(std::chrono::hours(24));  // each change on a later day
    auto units = services_->org.ListUnits(admin_);
    ASSERT_TRUE(units.ok());
    std::vector<Id> active;
    for (const auto& u : *units) {
      if (u.active) active.push_back(u.id);
    }
    auto pick = [&] { return active[random() % active.size()]; };
    const int op = static_cast<int>(random() % 6);
    bool ok = false;
    if (op == 0 || active.size() < 4) {  // create, with some work for it
      auto u = services_->org.CreateUnit(admin_, {.name = "Đơn vị " + std::to_string(step),
                                                  .abbreviation = "DV" + std::to_string(step),
                                                  .parent_id = std::optional<Id>(pick())});
      ok = u.ok();
      if (ok) {
        DocumentInput in;
        in.issuer_name = "Bộ Nội vụ";
        in.original_number_symbol = std::to_string(step) + "/BNV";
        in.subject = "Việc của đơn vị " + std::to_string(step);
        in.unit_id = u->id;
        ASSERT_TRUE(services_->documents.ReceiveIncoming(clerk_, in).ok());
        ++expected_open;
      }
    } else if (op == 1) {  // move under any unit, itself or a descendant included
      UnitInput in;
      in.parent_id = std::optional<Id>(pick());
      ok = services_->org.UpdateUnit(admin_, pick(), in, std::nullopt).ok();
    } else {
      ReorganizationInput r;
      r.effective_date = Today();
      r.kind = op == 2 ? "merge" : op == 3 ? "split" : "dissolve";
      const std::size_t sources = r.kind == "merge" ? 2 : 1;
      const std::size_t targets = r.kind == "split" ? 2 : 1;
      while (r.sources.size() < sources) r.sources.push_back(pick());
      while (r.targets.size() < targets) r.targets.push_back(pick());
      if (random() % 3 == 0) {  // sometimes a new unit receives the work
        Unit nu;
        nu.name = "Mới " + std::to_string(step);
        nu.abbreviation = "M" + std::to_string(step);
        nu.parent_id = pick();
        r.new_units.push_back(nu);
        r.targets.pop_back();
      }
      ok = services_->org.Reorganize(admin_, r).ok();
    }
    (ok ? applied : refused) += 1;
    auto problems = services_->org.CheckUnitTree();
    ASSERT_TRUE(problems.ok());
    ASSERT_TRUE(problems->empty()) << "step " << step << ": " << problems->front();
    std::int64_t total = 0, stranded = 0;
    open_work(&total, &stranded);
    ASSERT_EQ(total, expected_open) << "step " << step;
    ASSERT_EQ(stranded, 0) << "step " << step;
  }
  EXPECT_GT(applied, 30);
  EXPECT_GT(refused, 5);  // cycles, duplicates and the like were tried and refused
}

// The quarantine pages like every list: newest first, a cursor to go on,
// and a cursor it did not give out refused.
TEST_P(ServicesTest, QuarantinePagesWithAKeysetCursor) {
  const User officer = MakeUser("officer", kRoleSecurity, root_, Classification::kTopSecret);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(services_->exchange.ReceivePackage({}, "not a package").ok());
  }
  auto first = services_->exchange.ListQuarantine(officer, std::nullopt, 2);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_GT(first->items[0].id, first->items[1].id);
  ASSERT_TRUE(first->next_cursor);
  auto second = services_->exchange.ListQuarantine(officer, first->next_cursor, 2);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_LT(second->items[0].id, first->items[1].id);
  EXPECT_FALSE(second->next_cursor);
  auto bad = services_->exchange.ListQuarantine(officer, std::string("x1"), 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(services_->exchange.ListQuarantine(clerk_, std::nullopt, 2).error().code,
            ErrorCode::kForbidden);
}

// A storage failure is reported as one (500/503), never as a missing row:
// with the register books' table gone, asking for a book is not "no such book".
TEST_P(ServicesTest, AStorageFailureIsNotReportedAsAMissingRow) {
  auto missing = services_->documents.BookPage(clerk_, 999, {}, std::nullopt, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  const std::string drop =
      GetParam() == "postgres" ? "DROP TABLE register_books CASCADE" : "DROP TABLE register_books";
  ASSERT_TRUE(
      db_->Transact(sql::Database::Mode::kWrite, [&](sql::Connection& c) { return c.Exec(drop); })
          .ok());
  auto broken = services_->documents.BookPage(clerk_, 999, {}, std::nullopt, 10);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().code, ErrorCode::kNotFound) << broken.error().message;
  EXPECT_TRUE(broken.error().code == ErrorCode::kInternal ||
              broken.error().code == ErrorCode::kUnavailable);
}

CHY_SERVICE_TEST_BACKENDS(ServicesTest);

}  // namespace
}  // namespace chancery::services
