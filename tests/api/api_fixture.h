// The fixture of the API tests: a real `chancery serve` process (with the
// demo loaded) on the backend named by CHANCERY_API_BACKEND, and logged-in
// clients. Included by each api/*_test.cc of the api_test binary.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lib/http/client.h"
#include "tests/support/node_process.h"

namespace chancery::testing {

namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;
using Id = std::int64_t;

struct Reply {
  int status = 0;
  json::value body;
  std::string raw;
  http::ClientResponse response;
  const json::object& obj() const { return body.as_object(); }
  std::string code() const {
    if (!body.is_object() || !body.as_object().contains("code")) return "";
    return std::string(body.at("code").as_string());
  }
};

// One logged-in person talking to the server.
class Client {
 public:
  Client(std::uint16_t port, std::string token = "") : http_("127.0.0.1", port), token_(token) {}

  Reply Call(std::string_view method, std::string_view target, std::string_view body = {},
             Headers headers = {}) {
    if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
    if (!body.empty() && std::none_of(headers.begin(), headers.end(),
                                      [](const auto& h) { return h.first == "Content-Type"; })) {
      headers.emplace_back("Content-Type", "application/json");
    }
    auto r = http_.Send(method, target, body, headers);
    Reply out;
    if (!r.ok()) {
      ADD_FAILURE() << "request failed: " << r.error().message;
      return out;
    }
    out.status = r->status;
    out.raw = r->body;
    out.response = *r;
    std::error_code ec;
    out.body = json::parse(r->body, ec);
    if (ec) out.body = nullptr;
    return out;
  }
  Reply Get(std::string_view target) { return Call("GET", target); }
  Reply Post(std::string_view target, const json::value& v, Headers h = {}) {
    return Call("POST", target, json::serialize(v), std::move(h));
  }

  bool Login(const std::string& user, const std::string& password = "Chancery@2026") {
    token_.clear();
    auto r = Post("/api/v1/auth/login",
                  json::object{{"username", user}, {"password", password}, {"kind", "bearer"}});
    if (r.status != 200) return false;
    token_ = std::string(r.body.at("token").as_string());
    return true;
  }

 private:
  http::HttpClient http_;
  std::string token_;
};

// The arrival numbers in the incoming register book (of the latest year)
// of the unit that holds document `doc`, as `clerk` reads them page by page.
inline std::multiset<Id> IncomingBookNumbers(Client& clerk, Id doc) {
  std::multiset<Id> booked;
  auto sample = clerk.Get("/api/v1/documents/" + std::to_string(doc));
  EXPECT_EQ(sample.status, 200) << sample.raw;
  if (sample.status != 200) return booked;
  const Id unit = sample.body.at("unit_id").as_int64();
  auto books = clerk.Get("/api/v1/register-books?unit_id=" + std::to_string(unit));
  EXPECT_EQ(books.status, 200) << books.raw;
  Id book = 0;
  std::int64_t year = 0;
  for (const auto& b : books.body.at("items").as_array()) {
    if (b.at("kind") == "incoming" && b.at("year").as_int64() > year) {
      book = b.at("id").as_int64();
      year = b.at("year").as_int64();
    }
  }
  EXPECT_NE(book, 0) << books.raw;
  std::string cursor;
  for (int page = 0; book != 0 && page < 1000; ++page) {
    auto r = clerk.Get("/api/v1/register-books/" + std::to_string(book) + "/entries?limit=200" +
                       (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(r.status, 200) << r.raw;
    if (r.status != 200) break;
    for (const auto& e : r.body.at("items").as_array()) {
      booked.insert(e.at("arrival_number").as_int64());
    }
    if (!r.body.as_object().contains("next_cursor") || r.body.at("next_cursor").is_null()) break;
    cursor = std::string(r.body.at("next_cursor").as_string());
  }
  return booked;
}

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (Backend() == "postgres" && !PostgresAvailable()) return;
    node_ = std::make_unique<NodeProcess>(NodeOptions{.backend = Backend()});
  }
  static void TearDownTestSuite() {
    sessions_.clear();
    node_.reset();
  }

  void SetUp() override {
    if (Backend() == "postgres" && !PostgresAvailable()) {
      if (std::getenv("CHANCERY_REQUIRE_PG")) FAIL() << "CHANCERY_TEST_PG is not set";
      GTEST_SKIP() << "no PostgreSQL (set CHANCERY_TEST_PG)";
    }
    ASSERT_TRUE(node_->error().empty()) << node_->error();
  }

  // A logged-in client per user, kept for the suite: logging in is itself an
  // audited event, so tests that count audit records must not log in anew.
  Client* As(const std::string& user) {
    auto& c = sessions_[user];
    if (!c) {
      c = std::make_unique<Client>(node_->port());
      EXPECT_TRUE(c->Login(user)) << user;
    }
    return c.get();
  }

  // Size of the audit log: every state change appends one record, so an
  // unchanged size means nothing was written.
  std::int64_t AuditSize() {
    auto sec = As("baomat");
    auto r = sec->Get("/api/v1/audit/head");
    EXPECT_EQ(r.status, 200);
    return r.body.at("tree_size").as_int64();
  }

  Id UnitId(const std::string& abbr) {
    auto admin = As("admin");
    auto r = admin->Get("/api/v1/units");
    for (const auto& u : r.body.at("items").as_array()) {
      if (u.at("abbreviation").as_string() == abbr) return u.at("id").as_int64();
    }
    ADD_FAILURE() << "no unit " << abbr;
    return 0;
  }
  Id UserId(const std::string& name) {
    auto admin = As("admin");
    auto r = admin->Get("/api/v1/users?limit=200");
    for (const auto& u : r.body.at("items").as_array()) {
      if (u.at("username").as_string() == name) return u.at("id").as_int64();
    }
    ADD_FAILURE() << "no user " << name;
    return 0;
  }

  // A draft by the specialist; returns its id.
  Id NewDraft(const std::string& subject, const std::string& type = "TB",
              const std::string& classification = "normal") {
    auto spec = As("chuyenvien");
    auto r = spec->Post("/api/v1/documents",
                        json::object{{"type_code", type},
                                     {"subject", subject},
                                     {"classification", classification},
                                     {"recipient_unit_ids", json::array{UnitId("TC")}}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.status == 201 ? r.body.at("id").as_int64() : 0;
  }

  static std::string DocPath(Id id) { return "/api/v1/documents/" + std::to_string(id); }

  // The steps from a draft to issued: review, signature, numbering, seal.
  static const std::vector<std::pair<std::string, std::string>>& IssueSteps() {
    static const std::vector<std::pair<std::string, std::string>> steps{
        {"chuyenvien", "submit"}, {"thutruong", "approve"}, {"thutruong", "sign"},
        {"vanthu", "number"},     {"vanthu", "seal"},       {"vanthu", "issue"}};
    return steps;
  }
  // One action on document `id` by `who` (signing with the test PIN).
  Reply Step(const std::string& who, Id id, const std::string& action) {
    json::object body;
    if (action == "sign") body["pin"] = kPin;
    return As(who)->Post(DocPath(id) + "/actions/" + action, body);
  }

  // Drives a draft through review, signature and numbering to issued.
  void Issue(Id id) {
    for (const auto& [who, action] : IssueSteps()) {
      auto r = Step(who, id, action);
      ASSERT_EQ(r.status, 200) << action << ": " << r.raw;
    }
  }

  static constexpr const char* kPin = "123456";  // thutruong's signing PIN in the demo

  static inline std::unique_ptr<NodeProcess> node_;
  static inline std::map<std::string, std::unique_ptr<Client>> sessions_;
};

}  // namespace chancery::testing
