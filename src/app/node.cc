#include "app/node.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <boost/url.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/schema.h"
#include "lib/extract/extract.h"
#include "lib/http/client.h"

namespace chancery::cli {

namespace fs = std::filesystem;

std::string DefaultConfigText(const std::string& database_url, const std::string& key_secret) {
  return "# Chancery node configuration. Paths are relative to this folder.\n"
         "[node]\n"
         "name = \"Chancery\"\n\n"
         "[database]\n"
         "# sqlite:chancery.db (embedded) or a PostgreSQL URL / libpq conninfo\n"
         "url = \"" +
         database_url +
         "\"\n"
         "durable = true   # fsync every commit (SQLite synchronous=FULL)\n\n"
         "[storage]\n"
         "blobs = \"blobs\"\n"
         "max_upload_mb = 50\n\n"
         "[server]\n"
         "address = \"127.0.0.1\"\n"
         "port = 8080\n"
         "io_threads = 1\n"
         "worker_threads = 8\n"
         "# ui_dir = \"web/dist\"  # serve the web UI's build (or: serve --ui)\n\n"
         "[auth]\n"
         "lockout_threshold = 5\n"
         "lockout_minutes = 15\n"
         "session_hours = 12\n"
         "argon2_time_cost = 2\n"
         "argon2_memory_kib = 19456\n\n"
         "[deadlines]\n"
         "due_soon_working_days = 3\n\n"
         "[pki]\n"
         "# Encrypts the node's own private keys (CA, seals, TSA) at rest. In service keep\n"
         "# the keys in a token (pkcs11_module) or give the secret in CHANCERY_KEY_SECRET.\n"
         "key_secret = \"" +
         key_secret +
         "\"\n"
         "# pkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"  # token PIN: CHANCERY_TOKEN_PIN\n"
         "# tsa_url = \"http://tsa.example:8080/api/v1/pki/tsa\"  # external RFC 3161 TSA (plain "
         "HTTP)\n"
         "font = \"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf\"\n"
         "tree_head_minutes = 60\n"
         "signature_box = [320, 60, 220, 110]  # the leader's signature on the last page (points)\n"
         "seal_mm = 36\n\n"
         "# Exchange with other agencies' nodes (docs/exchange.md): uncomment to take part.\n"
         "# [exchange]\n"
         "# agency_code = \"000.00.01.H08\"          # this agency's code\n"
         "# endpoint = \"https://10.0.0.8:8443\"     # where peers reach this node\n"
         "# address = \"127.0.0.1\"                  # the mutual-TLS listener for peers\n"
         "# port = 8443\n"
         "# retry_base_ms = 1000     # first retry after about this, doubling ...\n"
         "# retry_cap_seconds = 300  # ... up to this, with jitter\n"
         "# give_up_hours = 24       # then the delivery fails and the clerk sees it\n"
         "# max_package_mb = 64\n\n"
         "# Per-year calendar overrides, as the government announces them:\n"
         "# [calendar.2027]\n"
         "# days_off = [\"2027-02-12\"]\n"
         "# working_days = [\"2027-02-20\"]\n"
         "# replace_defaults = false\n";
}

namespace {

Error ConfigError(const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "chancery.toml: " + what);
}

Status CheckKeys(const toml::table& t, std::string_view section,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : t) {
    (void)v;
    if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
      return ConfigError("unknown key '" + std::string(section) + "." + std::string(k.str()) + "'");
    }
  }
  return Ok();
}

Result<std::vector<Date>> Dates(const toml::table& t, std::string_view key,
                                const std::string& where) {
  std::vector<Date> out;
  const auto* arr = t[key].as_array();
  if (!arr) return out;
  for (const auto& v : *arr) {
    const auto* s = v.as_string();
    Date d;
    if (!s || !ParseDate(s->get(), &d)) return ConfigError(where + " needs YYYY-MM-DD strings");
    out.push_back(d);
  }
  return out;
}

// [node]
Status ReadNode(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "node", {"name"}));
  c->services.node_name = t["name"].value_or(std::string("Chancery"));
  return Ok();
}

// [database]
Status ReadDatabase(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "database", {"url", "durable"}));
  c->database_url = t["url"].value_or(std::string("sqlite:chancery.db"));
  if (c->database_url.starts_with("sqlite:")) {
    fs::path p = c->database_url.substr(7);
    if (p.is_relative()) p = fs::path(c->data_dir) / p;
    c->database_url = "sqlite:" + p.string();
  }
  c->durable = t["durable"].value_or(true);
  return Ok();
}

// [storage]
Status ReadStorage(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "storage", {"blobs", "max_upload_mb"}));
  fs::path blobs = t["blobs"].value_or(std::string("blobs"));
  if (blobs.is_relative()) blobs = fs::path(c->data_dir) / blobs;
  c->blob_dir = blobs.string();
  const std::int64_t max_mb = t["max_upload_mb"].value_or(std::int64_t{50});
  if (max_mb < 1 || max_mb > 4096) return ConfigError("storage.max_upload_mb is 1..4096");
  c->max_upload_bytes = static_cast<std::uint64_t>(max_mb) << 20;
  return Ok();
}

// [server]
Status ReadServer(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "server",
                           {"address", "port", "io_threads", "worker_threads", "ui_dir",
                            "secure_cookies", "trusted_proxies", "max_connections_per_address"}));
  c->address = t["address"].value_or(std::string("127.0.0.1"));
  c->port = static_cast<int>(t["port"].value_or(std::int64_t{8080}));
  if (c->port < 0 || c->port > 65535) return ConfigError("server.port is 0..65535");
  c->io_threads = static_cast<int>(t["io_threads"].value_or(std::int64_t{1}));
  c->worker_threads = static_cast<int>(t["worker_threads"].value_or(std::int64_t{8}));
  c->ui_dir = t["ui_dir"].value_or(std::string());
  c->secure_cookies = t["secure_cookies"].value_or(false);
  c->max_connections_per_address =
      static_cast<int>(t["max_connections_per_address"].value_or(std::int64_t{256}));
  if (c->max_connections_per_address < 1) {
    return ConfigError("server.max_connections_per_address is at least 1");
  }
  if (const auto* proxies = t["trusted_proxies"].as_array()) {
    for (const auto& p : *proxies) {
      if (!p.is_string()) return ConfigError("server.trusted_proxies lists IP addresses");
      c->trusted_proxies.push_back(*p.value<std::string>());
    }
  }
  if (c->io_threads < 1 || c->io_threads > 64 || c->worker_threads < 1 || c->worker_threads > 512) {
    return ConfigError("server.io_threads is 1..64 and server.worker_threads 1..512");
  }
  return Ok();
}

// [auth]
Status ReadAuth(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "auth",
                           {"lockout_threshold", "lockout_minutes", "session_hours",
                            "argon2_time_cost", "argon2_memory_kib"}));
  c->modules.org.lockout_threshold = static_cast<int>(t["lockout_threshold"].value_or(5));
  c->modules.org.lockout_duration = std::chrono::minutes(t["lockout_minutes"].value_or(15));
  c->modules.org.session_lifetime = std::chrono::hours(t["session_hours"].value_or(12));
  c->modules.org.argon2_time_cost = static_cast<std::uint32_t>(t["argon2_time_cost"].value_or(2));
  c->modules.org.argon2_memory_kib =
      static_cast<std::uint32_t>(t["argon2_memory_kib"].value_or(19456));
  if (c->modules.org.lockout_threshold < 1 || c->modules.org.argon2_time_cost < 1 ||
      c->modules.org.argon2_memory_kib < 8) {
    return ConfigError("auth values must be positive (argon2_memory_kib >= 8)");
  }
  return Ok();
}

// [deadlines]
Status ReadDeadlines(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "deadlines", {"due_soon_working_days"}));
  c->modules.documents.due_soon_working_days =
      static_cast<int>(t["due_soon_working_days"].value_or(3));
  return Ok();
}

// [pki]
Status ReadPki(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "pki",
                           {"key_secret", "pkcs11_module", "font", "tree_head_minutes",
                            "signature_box", "seal_mm", "tsa_url"}));
  c->modules.signatures.tsa_url = t["tsa_url"].value_or(std::string());
  if (!c->modules.signatures.tsa_url.empty() &&
      !c->modules.signatures.tsa_url.starts_with("http://")) {
    return ConfigError("pki.tsa_url is an http:// URL (TLS to a TSA is not supported yet)");
  }
  // Secrets from the environment win over the file (and are never printed).
  const char* env_secret = std::getenv("CHANCERY_KEY_SECRET");
  c->modules.signatures.key_secret =
      env_secret ? env_secret : t["key_secret"].value_or(std::string());
  c->modules.signatures.pkcs11_module = t["pkcs11_module"].value_or(std::string());
  if (const char* pin = std::getenv("CHANCERY_TOKEN_PIN")) c->modules.signatures.token_pin = pin;
  c->modules.signatures.font_file = t["font"].value_or(c->modules.signatures.font_file);
  c->tree_head_minutes = static_cast<int>(t["tree_head_minutes"].value_or(60));
  if (c->tree_head_minutes < 0) return ConfigError("pki.tree_head_minutes is 0 or more");
  if (const auto* box = t["signature_box"].as_array()) {
    std::vector<double> v;
    for (const auto& x : *box) v.push_back(x.value<double>().value_or(-1));
    if (v.size() != 4 || v[2] <= 0 || v[3] <= 0 || v[0] < 0 || v[1] < 0) {
      return ConfigError("pki.signature_box is [x, y, width, height] in points");
    }
    c->modules.signatures.personal_signature = {v[0], v[1], v[2], v[3]};
  }
  const double seal_mm = t["seal_mm"].value_or(36.0);
  if (seal_mm < 10 || seal_mm > 80) return ConfigError("pki.seal_mm is 10..80");
  c->modules.signatures.seal_points = seal_mm / 25.4 * 72;
  return Ok();
}

// [exchange]
Status ReadExchange(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(
      CheckKeys(t, "exchange",
                {"agency_code", "endpoint", "address", "port", "retry_base_ms", "retry_cap_seconds",
                 "give_up_hours", "max_package_mb", "poll_ms", "give_up_seconds"}));
  c->services.agency_code = t["agency_code"].value_or(std::string());
  c->modules.exchange.endpoint = t["endpoint"].value_or(std::string());
  c->exchange_address = t["address"].value_or(std::string("127.0.0.1"));
  c->exchange_port = static_cast<int>(t["port"].value_or(std::int64_t{-1}));
  if (c->exchange_port < -1 || c->exchange_port > 65535)
    return ConfigError("exchange.port is 0..65535");
  c->modules.exchange.retry_base =
      std::chrono::milliseconds(t["retry_base_ms"].value_or(std::int64_t{1000}));
  c->modules.exchange.retry_cap =
      std::chrono::seconds(t["retry_cap_seconds"].value_or(std::int64_t{300}));
  c->modules.exchange.give_up_after =
      std::chrono::hours(t["give_up_hours"].value_or(std::int64_t{24}));
  if (auto secs = t["give_up_seconds"].value<std::int64_t>())
    c->modules.exchange.give_up_after = std::chrono::seconds(*secs);
  c->exchange_poll = std::chrono::milliseconds(t["poll_ms"].value_or(std::int64_t{500}));
  const std::int64_t package_mb = t["max_package_mb"].value_or(std::int64_t{64});
  if (package_mb < 1 || package_mb > 1024) return ConfigError("exchange.max_package_mb is 1..1024");
  c->modules.exchange.max_package_bytes = static_cast<std::size_t>(package_mb) << 20;
  if (c->modules.exchange.retry_base.count() < 1 || c->modules.exchange.retry_cap.count() < 1 ||
      c->modules.exchange.give_up_after.count() < 1 || c->exchange_poll.count() < 1) {
    return ConfigError("exchange retry and poll times are positive");
  }
  if (c->exchange_port >= 0 && c->services.agency_code.empty()) {
    return ConfigError("exchange.agency_code is needed to talk to other agencies");
  }
  return Ok();
}

// [gateway]
Status ReadGateway(const toml::table& t, NodeConfig* c) {
  CHY_TRY_STATUS(CheckKeys(t, "gateway", {"zone"}));
  if (const auto* zones = t["zone"].as_array()) {
    for (const auto& v : *zones) {
      const auto* z = v.as_table();
      if (!z) return ConfigError("gateway.zone is an array of tables ([[gateway.zone]])");
      CHY_TRY_STATUS(CheckKeys(*z, "gateway.zone",
                               {"name", "address", "port", "max_out", "allow", "port_file"}));
      services::ExchangeSettings::GatewayZone rules;
      rules.name = (*z)["name"].value_or(std::string());
      if (rules.name.empty()) return ConfigError("gateway.zone needs a name");
      auto max_out = ParseClassification((*z)["max_out"].value_or(std::string("normal")));
      if (!max_out) return ConfigError("gateway.zone.max_out is normal, mat, toi_mat or tuyet_mat");
      rules.max_out = *max_out;
      if (const auto* allow = (*z)["allow"].as_array()) {
        for (const auto& a : *allow) {
          if (const auto* code = a.as_string()) rules.allow_senders.push_back(code->get());
        }
      }
      NodeConfig::GatewayListener listener;
      listener.zone = rules.name;
      listener.address = (*z)["address"].value_or(std::string("127.0.0.1"));
      listener.port = static_cast<int>((*z)["port"].value_or(std::int64_t{0}));
      listener.port_file = (*z)["port_file"].value_or(std::string());
      if (listener.port < 0 || listener.port > 65535)
        return ConfigError("gateway.zone.port is 0..65535");
      c->modules.exchange.gateway_zones.push_back(std::move(rules));
      c->gateway_listeners.push_back(std::move(listener));
    }
  }
  return Ok();
}

// [calendar.<year>]
Status ReadCalendar(const toml::table& years, NodeConfig* c) {
  for (const auto& [year_key, value] : years) {
    const std::string where = "calendar." + std::string(year_key.str());
    int year = 0;
    try {
      year = std::stoi(std::string(year_key.str()));
    } catch (...) {
      return ConfigError(where + ": the key is a year");
    }
    const auto* t = value.as_table();
    if (!t || year < 1990 || year > 2100) return ConfigError(where + ": a table for 1990..2100");
    CHY_TRY_STATUS(CheckKeys(*t, where, {"days_off", "working_days", "replace_defaults"}));
    YearOverride o;
    CHY_TRY(o.extra_days_off, Dates(*t, "days_off", where));
    CHY_TRY(o.extra_working_days, Dates(*t, "working_days", where));
    o.replace_defaults = (*t)["replace_defaults"].value_or(false);
    c->calendar.years[year] = std::move(o);
  }
  return Ok();
}

}  // namespace

void WritePortFile(const std::string& path, unsigned short port) {
  const std::string scratch = path + ".tmp";
  std::ofstream(scratch) << port << "\n";
  std::error_code ec;
  std::filesystem::rename(scratch, path, ec);
}

void Wakeup::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_all();
}

bool Wakeup::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return notified_ || stopped_; });
  notified_ = false;
  return !stopped_;
}

void Wakeup::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

bool Wakeup::Stopped() {
  std::lock_guard lock(mu_);
  return stopped_;
}

bool BackgroundRole::Lead() {
  if (lease_ && lease_->Held()) return true;
  if (lease_) {
    lease_.reset();
    node_.logger().Log(LogLevel::kWarning, "background.lost", {{"role", role_}});
  }
  auto lease = node_.database().TryLease(role_);
  if (!lease.ok()) {
    node_.logger().Log(LogLevel::kWarning, "background.lease_failed",
                       {{"role", role_}, {"message", lease.error().message}});
    return false;
  }
  if (!*lease) return false;
  lease_ = std::move(*lease);
  node_.logger().Log(LogLevel::kInfo, "background.lead",
                     {{"role", role_}, {"pid", std::to_string(getpid())}});
  return true;
}

Result<NodeConfig> LoadConfig(const std::string& data_dir) {
  NodeConfig c;
  c.data_dir = data_dir;
  const fs::path file = fs::path(data_dir) / "chancery.toml";
  toml::table root;
  if (fs::exists(file)) {
    try {
      root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
      return ConfigError(std::string(e.description()) + " at line " +
                         std::to_string(e.source().begin.line));
    }
  }
  CHY_TRY_STATUS(CheckKeys(root, "",
                           {"node", "database", "storage", "server", "auth", "deadlines",
                            "calendar", "pki", "exchange", "gateway"}));
  auto section = [&](std::string_view name) -> const toml::table& {
    static const toml::table kEmpty;
    const auto* t = root[name].as_table();
    return t ? *t : kEmpty;
  };
  CHY_TRY_STATUS(ReadNode(section("node"), &c));
  CHY_TRY_STATUS(ReadDatabase(section("database"), &c));
  CHY_TRY_STATUS(ReadStorage(section("storage"), &c));
  CHY_TRY_STATUS(ReadServer(section("server"), &c));
  CHY_TRY_STATUS(ReadAuth(section("auth"), &c));
  CHY_TRY_STATUS(ReadDeadlines(section("deadlines"), &c));
  c.services.temp_dir = (fs::path(data_dir) / "tmp").string();
  CHY_TRY_STATUS(ReadPki(section("pki"), &c));
  CHY_TRY_STATUS(ReadExchange(section("exchange"), &c));
  CHY_TRY_STATUS(ReadGateway(section("gateway"), &c));
  CHY_TRY_STATUS(ReadCalendar(section("calendar"), &c));
  return c;
}

Result<std::unique_ptr<Node>> Node::Open(const NodeConfig& config) {
  std::unique_ptr<Node> n(new Node(config));
  n->logger_ = std::make_unique<JsonLinesLogger>(std::cerr, n->clock_);
  // Tests run a node at a chosen instant (e.g. 23:30 Vietnam time); the clock
  // then runs on from there. Never set in production.
  if (const char* start = std::getenv("CHANCERY_CLOCK_START"); start && *start) {
    Timestamp t{};
    if (!ParseTimestamp(start, &t)) {
      return ConfigError("CHANCERY_CLOCK_START is not an RFC 3339 instant");
    }
    n->clock_.set_offset(t - SystemClock().Now());
  }
  std::error_code ec;
  fs::create_directories(config.blob_dir, ec);
  fs::create_directories(config.services.temp_dir, ec);
  CHY_TRY(WorkCalendar calendar, WorkCalendar::Create(config.calendar));
  n->calendar_ = std::make_unique<WorkCalendar>(std::move(calendar));
  if (config.database_url.starts_with("sqlite:")) {
    sql::SqliteOptions o;
    o.path = config.database_url.substr(7);
    o.durable = config.durable;
    o.read_connections = std::max(2, config.worker_threads);
    CHY_TRY(n->db_, sql::OpenSqlite(o));
  } else {
    sql::PostgresOptions o;
    o.conninfo = config.database_url;
    o.connections = std::max(2, config.worker_threads);
    CHY_TRY(n->db_, sql::OpenPostgres(o));
  }
  n->store_ = std::make_unique<store::Store>(*n->db_);
  CHY_TRY_STATUS(n->store_->Migrate(app::AllMigrations()));
  n->blobs_ = std::make_unique<blob::FileBlobStore>(config.blob_dir, config.max_upload_bytes);
  services::Core core(*n->store_, *n->blobs_, n->clock_, n->random_, *n->calendar_,
                      config.services);
  // Files from outside are read by a child of this binary with its own
  // memory and CPU limits (`chancery extract-text`, lib/extract).
  // A read in progress ends when the node stops (within 100 ms).
  core.set_text_reader(
      [exe = extract::SelfExe(), stop = &n->file_texts_queued_](std::string_view bytes) {
        extract::ChildLimits limits;
        limits.cancelled = [stop] { return stop->Stopped(); };
        return extract::TextInChild(exe, bytes, limits);
      });
  core.set_on_text_queued([wake = &n->file_texts_queued_] { wake->Notify(); });
  n->modules_ = std::make_unique<app::Modules>(core, config.modules);
  if (!config.modules.signatures.tsa_url.empty()) {
    auto url = boost::urls::parse_absolute_uri(config.modules.signatures.tsa_url);
    if (!url || url->host().empty()) return ConfigError("pki.tsa_url is not a URL");
    const std::string host = url->host();
    const auto port = static_cast<std::uint16_t>(url->has_port() ? url->port_number() : 80);
    const std::string target =
        url->encoded_target().empty() ? "/" : std::string(url->encoded_target());
    // One connection per stamp: signing threads never share a client.
    n->signatures().set_external_tsa(
        [host, port, target](std::string_view request) -> Result<std::string> {
          http::HttpClient client(host, port);
          client.set_timeout(std::chrono::seconds(10));
          CHY_TRY(auto reply, client.Send("POST", target, request,
                                          {{"Content-Type", "application/timestamp-query"}}));
          if (reply.status != 200) {
            return MakeError(ErrorCode::kUnavailable, "The time-stamping authority answered HTTP " +
                                                          std::to_string(reply.status) + ".");
          }
          return std::move(reply.body);
        });
  }
  return n;
}

}  // namespace chancery::cli
