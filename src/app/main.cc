// chancery: the node binary. `serve` runs the HTTP API; the other commands
// call the same services for scripting and operations.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/demo.h"
#include "app/node.h"
#include "core/document_flow.h"
#include "app/api.h"
#include "lib/http/openapi.h"
#include "lib/http/server.h"
#include "app/exchange_node.h"
#include "lib/http/static_site.h"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace chancery;

namespace {

int Fail(const Error& e) {
  std::cerr << "error: " << ErrorCodeName(e.code) << ": " << e.message << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  if (!e.allowed.empty()) {
    std::cerr << "  allowed:";
    for (const auto& a : e.allowed) std::cerr << " " << a;
    std::cerr << "\n";
  }
  return 1;
}

Result<std::unique_ptr<cli::Node>> OpenNode(const std::string& dir) {
  if (!fs::exists(fs::path(dir) / "chancery.toml")) {
    return MakeError(ErrorCode::kNotFound,
                     "No node in '" + dir + "'; create one with `chancery init " + dir + "`.");
  }
  CHY_TRY(auto config, cli::LoadConfig(dir));
  return cli::Node::Open(config);
}

// The person a CLI command acts as (`--as USERNAME`): whoever can run this
// binary on the node's data folder is trusted to choose.
Result<User> ActAs(cli::Node& node, const std::string& username) {
  User out;
  CHY_TRY_STATUS(node.store().Read([&](store::Tx& tx) -> Status {
    auto u = tx.GetUserByName(username);
    if (!u.ok()) return MakeError(ErrorCode::kNotFound, "No user '" + username + "'.");
    out = u->user;
    return Ok();
  }));
  return out;
}

void PrintDocument(const Document& d) {
  std::cout << d.id << "\t" << DirectionName(d.direction) << "\t" << d.state << "\t"
            << (d.number_symbol.empty() ? d.original_number_symbol : d.number_symbol) << "\t"
            << d.subject << "\n";
}

std::atomic<http::Server*> g_server{nullptr};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Chancery: an electronic office node for public agencies"};
  app.require_subcommand(1);
  std::string data = "var/node";
  std::string as_user;
  auto data_opt = [&](CLI::App* c) { c->add_option("data", data, "node data folder")->required(); };

  // init
  auto* init = app.add_subcommand("init", "Create a node: config, database, blob folder");
  data_opt(init);
  std::string db_url = "sqlite:chancery.db";
  std::string root_name, root_abbr, root_code, admin_password;
  init->add_option("--db", db_url, "sqlite:FILE or a PostgreSQL URL");
  init->add_option("--agency", root_name, "create the top unit with this name");
  init->add_option("--abbreviation", root_abbr, "its abbreviation, e.g. BQP");
  init->add_option("--agency-code", root_code, "its national agency code");
  init->add_option("--admin-password", admin_password, "create user 'admin' with this password");

  auto* serve = app.add_subcommand("serve", "Serve the HTTP API (and the web UI with --ui)");
  data_opt(serve);
  int port = -1;
  std::string address;
  serve->add_option("--port", port, "override server.port (0 = any free port)");
  serve->add_option("--address", address, "override server.address");
  std::string port_file;
  serve->add_option("--port-file", port_file, "write the bound port to this file");
  std::string ui_dir;
  serve->add_option("--ui", ui_dir, "serve the web UI built in this folder (overrides server.ui_dir)");
  std::string exchange_port_file;
  serve->add_option("--exchange-port-file", exchange_port_file,
                    "write the bound port of the peers' listener to this file");

  auto* gateway = app.add_subcommand(
      "gateway", "Run as a gateway between network zones ([[gateway.zone]] in chancery.toml)");
  data_opt(gateway);

  auto* demo = app.add_subcommand("demo", "Load demo units, users and documents (once)");
  data_opt(demo);

  auto* openapi = app.add_subcommand(
      "openapi", "Print the OpenAPI document of the HTTP API (the one served at "
                 "/api/v1/openapi.json and checked in as docs/openapi.json)");

  auto* config = app.add_subcommand("config", "Configuration");
  config->require_subcommand(1);
  auto* config_check = config->add_subcommand("check", "Check chancery.toml and the database");
  data_opt(config_check);

  auto* audit = app.add_subcommand("audit", "Audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "Recompute the Merkle tree of the log");
  data_opt(audit_verify);
  auto* audit_sign = audit->add_subcommand("sign-head", "Sign the log's current tree head now");
  data_opt(audit_sign);

  // pki …
  auto* pki = app.add_subcommand("pki", "Certificates: the node CA, persons' and seals' certificates");
  pki->require_subcommand(1);
  auto* pki_init = pki->add_subcommand("init-ca", "Create the node CA (and its signing and TSA certificates)");
  data_opt(pki_init);
  std::string p_name, p_reason, p_pin_env, p_serial, p_profile = "person";
  Id p_user = 0, p_unit = 0;
  int p_days = 730;
  pki_init->add_option("--name", p_name, "the CA's common name");
  auto* pki_issue = pki->add_subcommand("issue", "Issue a certificate to a person (--user) or a unit's seal (--unit)");
  data_opt(pki_issue);
  pki_issue->add_option("--user", p_user);
  pki_issue->add_option("--unit", p_unit);
  pki_issue->add_option("--days", p_days);
  pki_issue->add_option("--pin-env", p_pin_env, "environment variable holding the person's first signing PIN");
  auto* pki_list = pki->add_subcommand("list", "List certificates");
  data_opt(pki_list);
  auto* pki_revoke = pki->add_subcommand("revoke", "Revoke a certificate");
  data_opt(pki_revoke);
  pki_revoke->add_option("--serial", p_serial)->required();
  pki_revoke->add_option("--reason", p_reason)->required();
  auto* pki_crl = pki->add_subcommand("crl", "Print the node CA's current CRL (PEM)");
  data_opt(pki_crl);
  auto* verify = app.add_subcommand("verify", "Validation report (JSON) of a signed PDF, or a CMS signature with --data");
  data_opt(verify);
  std::string v_file, v_data;
  verify->add_option("file", v_file)->required();
  verify->add_option("--data", v_data, "the file a detached CMS signature signs");

  // unit …
  auto* unit = app.add_subcommand("unit", "Units and reorganisations");
  unit->require_subcommand(1);
  auto* unit_list = unit->add_subcommand("list", "List units");
  data_opt(unit_list);
  auto* unit_create = unit->add_subcommand("create", "Create a unit");
  data_opt(unit_create);
  std::string u_name, u_abbr, u_code;
  Id u_parent = 0, u_id = 0;
  bool u_issues = false;
  unit_create->add_option("--name", u_name)->required();
  unit_create->add_option("--abbreviation", u_abbr)->required();
  unit_create->add_option("--parent", u_parent);
  unit_create->add_option("--agency-code", u_code);
  unit_create->add_flag("--issues-documents", u_issues);
  auto* unit_rename = unit->add_subcommand("rename", "Rename a unit");
  data_opt(unit_rename);
  unit_rename->add_option("--id", u_id)->required();
  unit_rename->add_option("--name", u_name)->required();
  unit_rename->add_option("--abbreviation", u_abbr);
  auto* unit_move = unit->add_subcommand("move", "Move a unit under another");
  data_opt(unit_move);
  unit_move->add_option("--id", u_id)->required();
  unit_move->add_option("--parent", u_parent)->required();
  auto* unit_reorg = unit->add_subcommand("reorganize", "Merge, split or dissolve");
  data_opt(unit_reorg);
  std::string r_kind, r_date;
  std::vector<Id> r_sources, r_targets;
  Id r_successor = 0;
  unit_reorg->add_option("--kind", r_kind, "merge | split | dissolve")->required();
  unit_reorg->add_option("--effective", r_date, "YYYY-MM-DD")->required();
  unit_reorg->add_option("--source", r_sources)->required();
  unit_reorg->add_option("--target", r_targets)->required();
  unit_reorg->add_option("--successor", r_successor);
  auto* unit_transfers = unit->add_subcommand("transfers", "Where a unit's open work went");
  data_opt(unit_transfers);
  unit_transfers->add_option("--id", u_id)->required();

  // user …
  auto* user = app.add_subcommand("user", "Users");
  user->require_subcommand(1);
  auto* user_list = user->add_subcommand("list", "List users");
  data_opt(user_list);
  auto* user_create = user->add_subcommand("create", "Create a user");
  data_opt(user_create);
  std::string us_name, us_full, us_position, us_clearance = "normal", us_password;
  std::vector<std::string> us_roles;
  Id us_unit = 0;
  user_create->add_option("--username", us_name)->required();
  user_create->add_option("--full-name", us_full)->required();
  user_create->add_option("--unit", us_unit)->required();
  user_create->add_option("--position", us_position);
  user_create->add_option("--role", us_roles, "clerk, specialist, leader, administrator, "
                                              "security_officer");
  user_create->add_option("--clearance", us_clearance, "normal, mat, toi_mat, tuyet_mat");
  user_create->add_option("--password", us_password)->required();

  // doc …
  auto* doc = app.add_subcommand("doc", "Documents");
  doc->require_subcommand(1);
  auto* doc_list = doc->add_subcommand("list", "List documents you can see");
  data_opt(doc_list);
  std::string d_box = "all";
  doc_list->add_option("--box", d_box, "all, drafts, inbox, outgoing, incoming, ...");
  auto* doc_create = doc->add_subcommand("create", "Start an outgoing draft");
  data_opt(doc_create);
  std::string d_type, d_subject, d_issuer, d_number;
  std::vector<Id> d_recipients;
  doc_create->add_option("--type", d_type, "QĐ, TB, ... (empty: công văn)");
  doc_create->add_option("--subject", d_subject)->required();
  doc_create->add_option("--recipient", d_recipients);
  auto* doc_receive = doc->add_subcommand("receive", "Receive an incoming document");
  data_opt(doc_receive);
  doc_receive->add_option("--issuer", d_issuer)->required();
  doc_receive->add_option("--number", d_number, "its number/symbol")->required();
  doc_receive->add_option("--subject", d_subject)->required();
  auto* doc_act = doc->add_subcommand("act", "Take an action on a document");
  data_opt(doc_act);
  Id d_id = 0;
  std::string d_action, d_comment, d_reason;
  Id d_lead_user = 0, d_lead_unit = 0, d_record = 0;
  int d_days = -1;
  doc_act->add_option("--id", d_id)->required();
  doc_act->add_option("--action", d_action)->required();
  doc_act->add_option("--comment", d_comment);
  doc_act->add_option("--reason", d_reason);
  doc_act->add_option("--lead-user", d_lead_user);
  doc_act->add_option("--lead-unit", d_lead_unit);
  doc_act->add_option("--working-days", d_days);
  doc_act->add_option("--record", d_record);
  auto* doc_show = doc->add_subcommand("show", "Show a document");
  data_opt(doc_show);
  doc_show->add_option("--id", d_id)->required();

  auto* exchange_cmd = app.add_subcommand("exchange", "Exchange with other agencies' nodes");
  exchange_cmd->require_subcommand(1);
  auto* ex_identity = exchange_cmd->add_subcommand(
      "identity", "Print this node (or a gateway's side in --zone) as peers enter it (JSON)");
  data_opt(ex_identity);
  std::string ex_zone, ex_file;
  ex_identity->add_option("--zone", ex_zone, "a gateway's zone");
  auto* ex_add = exchange_cmd->add_subcommand("add-peer", "Add or change a peer from a JSON file");
  data_opt(ex_add);
  ex_add->add_option("--file", ex_file, "JSON: agency_code, name, endpoint, certificate_pem, ca_pem, "
                                         "via, zone, max_classification")->required();
  auto* ex_peers = exchange_cmd->add_subcommand("peers", "List the directory");
  data_opt(ex_peers);

  for (auto* c : {unit_list, unit_create, unit_rename, unit_move, unit_reorg, unit_transfers,
                  user_list, user_create, doc_list, doc_create, doc_receive, doc_act, doc_show,
                  pki_init, pki_issue, pki_list, pki_revoke, verify, ex_add, ex_peers}) {
    c->add_option("--as", as_user, "act as this user")->required();
  }

  CLI11_PARSE(app, argc, argv);

  // ------------------------------------------------------------- openapi
  if (*openapi) {
    // The document is generated from the route table, which needs a node to
    // bind to: a throwaway one in a temporary folder.
    const fs::path dir = fs::temp_directory_path() /
                         ("chancery-openapi-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "chancery.toml")
        << cli::DefaultConfigText("sqlite:" + (dir / "chancery.db").string(), "");
    int rc = 0;
    {
      auto node = OpenNode(dir.string());
      if (!node.ok()) {
        rc = Fail(node.error());
      } else {
        http::Router router;
        http::Api api((*node)->services(), (*node)->store(), (*node)->clock(), {});
        api.Register(router);
        std::cout << http::PrettyJson(
            http::OpenApiDocument(router, "Chancery node API", http::ApiOptions{}.version));
      }
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return rc;
  }

  // ---------------------------------------------------------------- init
  if (*init) {
    std::error_code ec;
    fs::create_directories(data, ec);
    const fs::path cfg = fs::path(data) / "chancery.toml";
    if (!fs::exists(cfg)) {
      SystemRandom random;
      std::ofstream(cfg) << cli::DefaultConfigText(db_url, RandomHex(random, 32));
    }
    auto node = OpenNode(data);
    if (!node.ok()) return Fail(node.error());
    if (!root_name.empty()) {
      Status s = (*node)->store().Write([&](store::Tx& tx) -> Status {
        CHY_TRY(auto units, tx.ListUnits());
        if (!units.empty()) return Ok();
        Unit u;
        u.name = root_name;
        u.abbreviation = root_abbr.empty() ? "ROOT" : root_abbr;
        u.agency_code = root_code;
        u.issues_documents = true;
        CHY_TRY(u.id, tx.InsertUnit(u, (*node)->services().Today()));
        if (!admin_password.empty()) {
          User a;
          a.username = "admin";
          a.full_name = "Administrator";
          a.unit_id = u.id;
          a.roles = kRoleAdmin | kRoleSecurity;
          a.clearance = Classification::kTopSecret;
          CHY_TRY_STATUS(tx.InsertUser(a, (*node)->services().HashPassword(admin_password),
                                       (*node)->clock().Now()));
        }
        return Ok();
      });
      if (!s.ok()) return Fail(s.error());
    }
    std::cout << "node ready in " << data << "\n";
    return 0;
  }

  auto node_r = OpenNode(data);
  if (!node_r.ok()) return Fail(node_r.error());
  cli::Node& node = **node_r;
  services::Services& s = node.services();

  if (*config_check) {
    auto tree = s.CheckUnitTree();
    if (!tree.ok()) return Fail(tree.error());
    for (const auto& p : *tree) std::cout << "unit tree: " << p << "\n";
    if (!tree->empty()) return 2;
    std::cout << "config ok: database " << (node.config().database_url.starts_with("sqlite:")
                                                ? node.config().database_url
                                                : std::string("postgresql (conninfo hidden)"))
              << ", blobs " << node.config().blob_dir << "\n";
    return 0;
  }
  if (*audit_verify) {
    auto r = s.VerifyAudit();
    if (!r.ok()) return Fail(r.error());
    if (r->ok) {
      std::cout << "audit log ok: " << r->size << " records, root " << r->root << ", "
                << r->tree_heads_checked << " signed tree heads checked\n";
      return 0;
    }
    std::cout << "audit log BROKEN at record " << *r->first_bad_seq << ": " << r->problem
              << "\n";
    return 2;
  }
  if (*audit_sign) {
    auto r = s.SignTreeHead(nullptr);
    if (!r.ok()) return Fail(r.error());
    std::cout << "signed tree head: " << r->tree_size << " records, root " << r->root << "\n";
    return 0;
  }
  if (*pki_crl) {
    auto r = s.CurrentCrl();
    if (!r.ok()) return Fail(r.error());
    std::cout << *r;
    return 0;
  }
  if (*demo) {
    auto logins = cli::LoadDemo(s, node.store());
    if (!logins.ok()) return Fail(logins.error());
    std::cout << "Demo logins (password for each):\n";
    for (const auto& l : *logins) {
      std::cout << "  " << l.username << " / " << l.password << "   (" << l.role << ")\n";
    }
    return 0;
  }
  if (*gateway) return cli::RunGateway(node);
  if (*serve) {
    http::Router router;
    http::Api api(s, node.store(), node.clock(),
                  {.secure_cookies = node.config().secure_cookies,
                   .trusted_proxies = node.config().trusted_proxies});
    api.Register(router);
    http::ServerOptions opts;
    opts.address = address.empty() ? node.config().address : address;
    opts.port = static_cast<std::uint16_t>(port >= 0 ? port : node.config().port);
    opts.io_threads = node.config().io_threads;
    opts.worker_threads = node.config().worker_threads;
    opts.max_body_bytes = node.config().max_upload_bytes + (1 << 20);
    opts.shutdown_grace = std::chrono::seconds(3);
    opts.max_connections_per_address = node.config().max_connections_per_address;
    opts.admit = [&api](const http::Request& head) { return api.AdmitBody(head); };
    // Large uploads go to files in the node's temporary folder as they arrive.
    opts.body_dir = node.config().services.temp_dir;
    if (ui_dir.empty()) ui_dir = node.config().ui_dir;
    std::optional<http::StaticSite> site;
    if (!ui_dir.empty()) {
      auto opened = http::StaticSite::Open(ui_dir);
      if (!opened.ok()) return Fail(opened.error());
      site.emplace(std::move(*opened));
      opts.fallback = [&site](const http::Request& r) { return site->Serve(r); };
    }
    http::Server server(opts, router, [&](http::Request& r, const http::Router::Match& m) {
      return api.Dispatch(r, m);
    });
    // Signals are taken by a thread of our own so Stop runs outside a handler.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    if (auto st = server.Start(); !st.ok()) return Fail(st.error());
    std::cout << "chancery serving on http://" << opts.address << ":" << server.port()
              << std::endl;
    // Other agencies' nodes: the mutual-TLS listener and the sender.
    auto exchange = cli::ExchangeRunner::Start(node, api);
    if (!exchange.ok()) return Fail(exchange.error());
    if (*exchange) {
      std::cout << "chancery exchange on https://" << node.config().exchange_address << ":"
                << (*exchange)->port() << std::endl;
    }
    if (!exchange_port_file.empty()) {
      std::ofstream(exchange_port_file) << (*exchange ? (*exchange)->port() : 0) << "\n";
    }
    if (!port_file.empty()) std::ofstream(port_file) << server.port() << "\n";
    // SIGTERM stops the node within 5 s: requests in flight get up to 3 s
    // to finish; whatever still runs then (its transaction not committed)
    // is cut off, and the process ends.
    std::mutex done_mu;
    std::condition_variable done_cv;
    bool done = false;
    std::thread signals([&] {
      int sig = 0;
      sigwait(&set, &sig);
      server.Stop();
      std::unique_lock lock(done_mu);
      if (!done_cv.wait_for(lock, std::chrono::milliseconds(4500), [&] { return done; })) {
        std::cerr << "chancery: requests still running 4.5 s after the stop signal; exiting"
                  << std::endl;
        std::_Exit(1);
      }
    });
    // Signed tree heads, periodically, when the log has grown (and the node has a CA).
    std::mutex heads_mu;
    std::condition_variable heads_cv;
    bool stopping = false;
    std::thread heads([&] {
      const auto every = std::chrono::minutes(node.config().tree_head_minutes);
      std::int64_t signed_size = -1;
      std::unique_lock lock(heads_mu);
      while (every.count() > 0 && !heads_cv.wait_for(lock, every, [&] { return stopping; })) {
        auto head = s.AuditHead(User{.roles = kRoleSecurity});
        if (!head.ok() || head->first == signed_size) continue;
        // (signing appends its own audit record: that one alone is no growth)
        if (auto r = s.SignTreeHead(nullptr); r.ok()) signed_size = r->tree_size + 1;
      }
    });
    server.Run();
    {
      std::lock_guard lock(heads_mu);
      stopping = true;
    }
    heads_cv.notify_all();
    heads.join();
    {
      std::lock_guard lock(done_mu);
      done = true;
    }
    done_cv.notify_all();
    pthread_kill(signals.native_handle(), SIGTERM);
    signals.join();
    return 0;
  }

  if (*ex_identity) {
    auto id = s.Identity();
    if (!id.ok()) return Fail(id.error());
    json::object o{{"agency_code", id->agency_code},
                   {"name", id->name},
                   {"endpoint", id->endpoint},
                   {"certificate_pem", id->certificate_pem},
                   {"certificate_sha256", id->certificate_sha256},
                   {"ca_pem", id->ca_pem}};
    if (!ex_zone.empty()) {
      // A gateway's side: its own certificate (made on first use).
      auto tls = s.NodeTlsIdentity(ex_zone);
      if (!tls.ok()) return Fail(tls.error());
      const auto end = tls->certificate_chain_pem.find("-----END CERTIFICATE-----");
      o["certificate_pem"] = tls->certificate_chain_pem.substr(0, end + 26);
      o["certificate_sha256"] = tls->certificate_sha256;
      o["zone"] = ex_zone;
    }
    std::cout << json::serialize(o) << "\n";
    return 0;
  }

  auto actor_r = ActAs(node, as_user);
  if (!actor_r.ok()) return Fail(actor_r.error());
  const User& actor = *actor_r;

  if (*ex_add) {
    std::ifstream in(ex_file);
    auto p = services::PeerFromJson(std::string((std::istreambuf_iterator<char>(in)), {}));
    if (!p.ok()) return Fail(p.error());
    auto r = s.PutPeer(actor, *p);
    if (!r.ok()) return Fail(r.error());
    std::cout << r->agency_code << "\t" << r->name << "\t" << r->certificate_sha256 << "\n";
    return 0;
  }
  if (*ex_peers) {
    auto r = s.ListPeers(actor);
    if (!r.ok()) return Fail(r.error());
    for (const auto& p : *r) {
      std::cout << p.agency_code << "\t" << p.name << "\t" << (p.via.empty() ? p.endpoint : "via " + p.via)
                << "\t" << p.zone << "\t" << ClassificationName(p.max_classification) << "\n";
    }
    return 0;
  }

  if (*pki_init) {
    services::CaInput in;
    in.common_name = p_name;
    auto r = s.CreateNodeCa(actor, in);
    if (!r.ok()) return Fail(r.error());
    std::cout << "node CA " << r->serial << "\t" << r->subject << "\n" << r->certificate_pem;
    return 0;
  }
  if (*pki_issue) {
    services::CertificateInput in;
    in.profile = p_unit ? "organization" : "person";
    if (p_user) in.user_id = p_user;
    if (p_unit) in.unit_id = p_unit;
    in.days = p_days;
    if (!p_pin_env.empty()) {
      const char* pin = std::getenv(p_pin_env.c_str());
      if (!pin) return Fail(Error::Invalid("--pin-env", "unset", "That environment variable is not set."));
      in.pin = pin;
    }
    auto r = s.IssueCertificate(actor, in);
    if (!r.ok()) return Fail(r.error());
    std::cout << r->serial << "\t" << r->profile << "\t" << r->subject << "\n";
    return 0;
  }
  if (*pki_list) {
    auto r = s.ListCertificates(actor, {});
    if (!r.ok()) return Fail(r.error());
    for (const auto& c : *r) {
      std::cout << c.serial << "\t" << c.profile << "\t" << c.status << "\t" << c.subject << "\t"
                << FormatVietnamTime(c.not_after) << "\n";
    }
    return 0;
  }
  if (*pki_revoke) {
    auto r = s.RevokeCertificate(actor, p_serial, p_reason);
    if (!r.ok()) return Fail(r.error());
    std::cout << r->serial << " revoked\n";
    return 0;
  }
  if (*verify) {
    auto read = [](const std::string& path) {
      std::ifstream in(path, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    services::VerifyInput in;
    in.file = read(v_file);
    if (!v_data.empty()) in.detached_data = read(v_data);
    auto r = s.VerifyFile(actor, in);
    if (!r.ok()) return Fail(r.error());
    std::cout << http::PrettyJson(boost::json::parse(*r));
    auto indication = boost::json::parse(*r).as_object().at("indication").as_string();
    return indication == "TOTAL_PASSED" ? 0 : 3;
  }
  if (*unit_list) {
    auto r = s.ListUnits(actor);
    if (!r.ok()) return Fail(r.error());
    for (const auto& u : *r) {
      std::cout << u.id << "\t" << u.abbreviation << "\t" << u.name << "\tparent="
                << (u.parent_id ? std::to_string(*u.parent_id) : "-")
                << (u.active ? "" : "\tretired") << "\n";
    }
    return 0;
  }
  if (*unit_create) {
    services::UnitInput in;
    in.name = u_name;
    in.abbreviation = u_abbr;
    in.agency_code = u_code;
    if (u_parent) in.parent_id = u_parent;
    in.issues_documents = u_issues;
    auto r = s.CreateUnit(actor, in);
    if (!r.ok()) return Fail(r.error());
    std::cout << r->id << "\n";
    return 0;
  }
  if (*unit_rename || *unit_move) {
    services::UnitInput in;
    if (*unit_rename) {
      in.name = u_name;
      if (!u_abbr.empty()) in.abbreviation = u_abbr;
    } else {
      in.parent_id = u_parent;
    }
    auto r = s.UpdateUnit(actor, u_id, in, std::nullopt);
    if (!r.ok()) return Fail(r.error());
    std::cout << r->id << "\t" << r->name << "\n";
    return 0;
  }
  if (*unit_reorg) {
    services::ReorganizationInput in;
    in.kind = r_kind;
    if (!ParseDate(r_date, &in.effective_date)) {
      return Fail(Error::Invalid("--effective", "bad_date", "YYYY-MM-DD"));
    }
    in.sources = r_sources;
    in.targets = r_targets;
    if (r_successor) in.successor_id = r_successor;
    auto r = s.Reorganize(actor, in);
    if (!r.ok()) return Fail(r.error());
    std::cout << "reorganization " << r->reorganization.id << ": " << r->transferred
              << " objects transferred\n";
    return 0;
  }
  if (*unit_transfers) {
    auto r = s.UnitTransfers(actor, u_id);
    if (!r.ok()) return Fail(r.error());
    for (const auto& t : *r) {
      std::cout << t.object_type << "\t" << t.object_id << "\t-> unit " << t.to_unit_id << "\n";
    }
    return 0;
  }
  if (*user_list) {
    auto r = s.ListUsers(actor, std::nullopt, 500);
    if (!r.ok()) return Fail(r.error());
    for (const auto& u : *r) {
      std::cout << u.id << "\t" << u.username << "\t" << u.full_name << "\tunit=" << u.unit_id
                << "\t" << ClassificationName(u.clearance) << "\n";
    }
    return 0;
  }
  if (*user_create) {
    services::UserInput in;
    in.username = us_name;
    in.full_name = us_full;
    in.unit_id = us_unit;
    in.position = us_position;
    std::uint32_t roles = 0;
    for (const auto& r : us_roles) {
      auto role = ParseRole(r);
      if (!role) return Fail(Error::Invalid("--role", "not_allowed_value", "unknown role " + r));
      roles |= *role;
    }
    in.roles = roles;
    auto c = ParseClassification(us_clearance);
    if (!c) return Fail(Error::Invalid("--clearance", "not_allowed_value", "unknown clearance"));
    in.clearance = *c;
    in.password = us_password;
    auto r = s.CreateUser(actor, in);
    if (!r.ok()) return Fail(r.error());
    std::cout << r->id << "\n";
    return 0;
  }
  if (*doc_list) {
    services::ListInput in;
    static const std::map<std::string, services::Box> kBoxes{
        {"all", services::Box::kAll},           {"drafts", services::Box::kDrafts},
        {"inbox", services::Box::kInbox},       {"outgoing", services::Box::kOutgoing},
        {"incoming", services::Box::kIncoming},
        {"awaiting_approval", services::Box::kAwaitingApproval}};
    auto it = kBoxes.find(d_box);
    if (it == kBoxes.end()) return Fail(Error::Invalid("--box", "not_allowed_value", d_box));
    in.box = it->second;
    in.limit = 200;
    auto r = s.ListDocuments(actor, in);
    if (!r.ok()) return Fail(r.error());
    for (const auto& d : r->items) PrintDocument(d);
    return 0;
  }
  if (*doc_create || *doc_receive) {
    services::DocumentInput in;
    in.subject = d_subject;
    if (*doc_create) {
      in.type_code = d_type;
      in.recipient_unit_ids = d_recipients;
    } else {
      in.issuer_name = d_issuer;
      in.original_number_symbol = d_number;
    }
    auto r = *doc_create ? s.CreateDraft(actor, in) : s.ReceiveIncoming(actor, in);
    if (!r.ok()) return Fail(r.error());
    PrintDocument(r->document);
    if (!r->duplicates.empty()) std::cout << "warning: possible duplicate of an earlier entry\n";
    return 0;
  }
  if (*doc_act) {
    services::ActionInput in;
    in.comment = d_comment;
    in.reason = d_reason;
    if (d_lead_user) in.lead_user_id = d_lead_user;
    if (d_lead_unit) in.lead_unit_id = d_lead_unit;
    if (d_days >= 0) in.deadline_working_days = d_days;
    if (d_record) in.record_id = d_record;
    auto r = s.Act(actor, d_id, d_action, in);
    if (!r.ok()) return Fail(r.error());
    PrintDocument(*r);
    return 0;
  }
  if (*doc_show) {
    auto r = s.GetDocument(actor, d_id);
    if (!r.ok()) return Fail(r.error());
    PrintDocument(r->document);
    std::cout << "allowed:";
    for (const auto& a : r->allowed_actions) std::cout << " " << a;
    std::cout << "\n";
    return 0;
  }
  return 0;
}
