// The command line of the node binary. The node's own commands (init, serve, gateway,
// demo, openapi, config check) are here; each module adds its commands
// (src/modules/<name>/cli.cc), which call the same services as the API.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/api.h"
#include "app/demo.h"
#include "app/exchange_node.h"
#include "app/main.h"
#include "app/node.h"
#include "app/serve.h"
#include "lib/extract/extract.h"
#include "lib/http/openapi.h"
#include "modules/audit/cli.h"
#include "modules/documents/cli.h"
#include "modules/exchange/cli.h"
#include "modules/org/cli.h"
#include "modules/search/cli.h"
#include "modules/signatures/cli.h"
#include "services/commands.h"

namespace fs = std::filesystem;
using namespace chancery;
using services::Fail;

namespace {

Result<std::unique_ptr<cli::Node>> OpenNode(const std::string& dir) {
  if (!fs::exists(fs::path(dir) / "chancery.toml")) {
    return MakeError(ErrorCode::kNotFound,
                     "No node in '" + dir + "'; create one with `chancery init " + dir + "`.");
  }
  CHY_TRY(auto config, cli::LoadConfig(dir));
  return cli::Node::Open(config);
}

// The OpenAPI document is generated from the route table, which needs a
// node to bind to: a throwaway one in a temporary folder. A route that does
// not say what it answers is refused, so the checked-in document (and the
// web's types generated from it) never lacks an answer.
int PrintOpenApi() {
  const fs::path dir =
      fs::temp_directory_path() / ("chancery-openapi-" + std::to_string(::getpid()));
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
      cli::Node& n = **node;
      http::Api api({n.org(), n.documents(), n.audit(), n.signatures(), n.exchange(), n.search()},
                    n.store(), n.clock(), {});
      api.Register(router);
      if (const auto undescribed = http::UndescribedAnswers(router); !undescribed.empty()) {
        std::string routes;
        for (const auto& r : undescribed) routes += "\n  " + r;
        rc = Fail(MakeError(ErrorCode::kInternal,
                            "These routes do not say what they answer (Returns in "
                            "src/app/route_table.cc):" +
                                routes));
      } else {
        std::cout << http::PrettyJson(api.Describe());
      }
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return rc;
}

struct InitOptions {
  std::string db_url = "sqlite:chancery.db";
  std::string root_name, root_abbr, root_code, admin_password;
};

// A new node: its config (with a fresh key secret), database and blob
// folder; with --agency, its top unit, and with --admin-password, user
// `admin` — made by the console operator through the services, so the
// audit log starts with them.
int Init(const std::string& data, const InitOptions& o) {
  std::error_code ec;
  fs::create_directories(data, ec);
  const fs::path cfg = fs::path(data) / "chancery.toml";
  if (!fs::exists(cfg)) {
    SystemRandom random;
    std::ofstream(cfg) << cli::DefaultConfigText(o.db_url, RandomHex(random, 32));
  }
  auto node = OpenNode(data);
  if (!node.ok()) return Fail(node.error());
  services::OrgService& s = (*node)->org();
  if (!o.root_name.empty()) {
    const services::Actor console = services::ConsoleOperator();
    auto units = s.ListUnits(console);
    if (!units.ok()) return Fail(units.error());
    if (units->empty()) {
      services::UnitInput in;
      in.name = o.root_name;
      in.abbreviation = o.root_abbr.empty() ? "ROOT" : o.root_abbr;
      in.agency_code = o.root_code;
      in.issues_documents = true;
      auto root = s.CreateUnit(console, in);
      if (!root.ok()) return Fail(root.error());
      if (!o.admin_password.empty()) {
        services::UserInput admin;
        admin.username = "admin";
        admin.full_name = "Administrator";
        admin.unit_id = root->id;
        admin.roles = kRoleAdmin | kRoleSecurity;
        admin.clearance = Classification::kTopSecret;
        admin.password = o.admin_password;
        auto made = s.CreateUser(services::ConsoleOperator(root->id), admin);
        if (!made.ok()) return Fail(made.error());
      }
    }
  }
  std::cout << "node ready in " << data << "\n";
  return 0;
}

int CheckConfig(cli::Node& node) {
  auto tree = node.org().CheckUnitTree();
  if (!tree.ok()) return Fail(tree.error());
  for (const auto& p : *tree) std::cout << "unit tree: " << p << "\n";
  if (!tree->empty()) return 2;
  std::cout << "config ok: database "
            << (node.config().database_url.starts_with("sqlite:")
                    ? node.config().database_url
                    : std::string("postgresql (conninfo hidden)"))
            << ", blobs " << node.config().blob_dir << "\n";
  return 0;
}

int Demo(cli::Node& node) {
  auto logins = cli::LoadDemo(node);
  if (!logins.ok()) return Fail(logins.error());
  std::cout << "Demo logins (password for each):\n";
  for (const auto& l : *logins) {
    std::cout << "  " << l.username << " / " << l.password << "   (" << l.role << ")\n";
  }
  return 0;
}

}  // namespace

namespace chancery::cli {

int RunMain(int argc, char** argv, const Hooks& hooks) {
  // The node's file reader (lib/extract): started by the node itself, one
  // file on standard input, nothing else read or set up.
  if (argc == 2 && std::string_view(argv[1]) == "extract-text") return extract::RunChild();
  CLI::App app{"Chancery: an electronic office node for public agencies"};
  app.require_subcommand(1);
  std::string data = "var/node";
  auto data_opt = [&](CLI::App* c) { c->add_option("data", data, "node data folder")->required(); };

  InitOptions init_options;
  auto* init = app.add_subcommand("init", "Create a node: config, database, blob folder");
  data_opt(init);
  init->add_option("--db", init_options.db_url, "sqlite:FILE or a PostgreSQL URL");
  init->add_option("--agency", init_options.root_name, "create the top unit with this name");
  init->add_option("--abbreviation", init_options.root_abbr, "its abbreviation, e.g. BQP");
  init->add_option("--agency-code", init_options.root_code, "its national agency code");
  init->add_option("--admin-password", init_options.admin_password,
                   "create user 'admin' with this password");

  cli::ServeOptions serve_options;
  serve_options.after_peer_request = hooks.after_peer_request;
  auto* serve = app.add_subcommand("serve", "Serve the HTTP API (and the web UI with --ui)");
  data_opt(serve);
  serve->add_option("--port", serve_options.port, "override server.port (0 = any free port)");
  serve->add_option("--address", serve_options.address, "override server.address");
  serve->add_option("--port-file", serve_options.port_file, "write the bound port to this file");
  serve->add_option("--ui", serve_options.ui_dir,
                    "serve the web UI built in this folder (overrides server.ui_dir)");
  serve->add_option("--exchange-port", serve_options.exchange_port,
                    "override exchange.port (a second server on this host; 0 = any free port)");
  serve->add_option("--exchange-port-file", serve_options.exchange_port_file,
                    "write the bound port of the peers' listener to this file");

  auto* gateway = app.add_subcommand(
      "gateway", "Run as a gateway between network zones ([[gateway.zone]] in chancery.toml)");
  data_opt(gateway);
  auto* demo = app.add_subcommand("demo", "Load demo units, users and documents (once)");
  data_opt(demo);
  auto* openapi =
      app.add_subcommand("openapi",
                         "Print the OpenAPI document of the HTTP API (the one served at "
                         "/api/v1/openapi.json and checked in as docs/openapi.json)");
  auto* config = app.add_subcommand("config", "Configuration");
  config->require_subcommand(1);
  auto* config_check = config->add_subcommand("check", "Check chancery.toml and the database");
  data_opt(config_check);

  // The modules' commands.
  // The modules' commands; their services exist once the node is open.
  std::unique_ptr<cli::Node> opened;
  services::Commands commands(app);
  org::AddCommands(commands, [&]() -> services::OrgService& { return opened->org(); });
  documents::AddCommands(commands,
                         [&]() -> services::DocumentService& { return opened->documents(); });
  signatures::AddCommands(commands,
                          [&]() -> services::SignatureService& { return opened->signatures(); });
  audit::AddCommands(
      commands, [&]() -> services::AuditService& { return opened->audit(); },
      [&]() -> services::SignatureService& { return opened->signatures(); });
  exchange::AddCommands(commands,
                        [&]() -> services::ExchangeService& { return opened->exchange(); });
  search::AddCommands(commands, [&]() -> services::SearchService& { return opened->search(); });

  CLI11_PARSE(app, argc, argv);

  if (*openapi) return PrintOpenApi();
  if (*init) return Init(data, init_options);
  if (commands.chosen()) data = commands.data_dir();
  auto node = OpenNode(data);
  if (!node.ok()) return Fail(node.error());
  if (*config_check) return CheckConfig(**node);
  if (*demo) return Demo(**node);
  if (*gateway) return cli::RunGateway(**node);
  if (*serve) return cli::Serve(**node, serve_options);
  const services::CommandRun* run = commands.chosen();
  if (!run) return 0;
  opened = std::move(*node);
  if (!commands.chosen_as_person()) return (*run)(nullptr);
  auto actor = opened->org().ConsoleActAs(commands.as_user());
  if (!actor.ok()) return Fail(actor.error());
  return (*run)(&*actor);
}

}  // namespace chancery::cli
