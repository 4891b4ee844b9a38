// A node assembled from its configuration: database, blob folder, clock,
// randomness, calendar and services, built once in main and passed down.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/modules.h"
#include "core/calendar.h"
#include "core/log.h"
#include "core/world.h"
#include "lib/blob/blob_store.h"
#include "lib/sql/sql.h"
#include "services/services.h"
#include "store/store.h"

namespace chancery::cli {

struct NodeConfig {
  std::string data_dir;
  std::string database_url;  // default "sqlite:<data_dir>/chancery.db"
  std::string blob_dir;      // default "<data_dir>/blobs"
  std::uint64_t max_upload_bytes = 50ull << 20;
  std::string address = "127.0.0.1";
  int port = 8080;
  int io_threads = 1;
  int worker_threads = 8;
  std::string ui_dir;                        // the web UI's build (web/dist); empty = API only
  bool secure_cookies = false;               // session cookie `Secure` (TLS in front of the node)
  std::vector<std::string> trusted_proxies;  // their X-Forwarded-For names the client
  int max_connections_per_address = 256;     // open at once from one TCP peer
  bool durable = true;                       // SQLite synchronous=FULL
  int tree_head_minutes = 60;  // sign the audit log's head this often (0: only on demand)
  // Exchange between agencies: the mutual-TLS listener for peers (-1: none).
  std::string exchange_address = "127.0.0.1";
  int exchange_port = -1;
  std::chrono::milliseconds exchange_poll{500};  // the sender looks for due items this often
  // A gateway's listeners, one per zone (chancery gateway).
  struct GatewayListener {
    std::string zone;
    std::string address = "127.0.0.1";
    int port = 0;
    std::string port_file;  // tests: write the bound port here
  };
  std::vector<GatewayListener> gateway_listeners;
  services::Config services;    // what every module knows of the node
  app::ModuleSettings modules;  // each module's own settings
  CalendarConfig calendar;
};

// Reads <data_dir>/chancery.toml (absent keys keep their defaults; unknown
// keys are errors so a typo does not go unnoticed).
Result<NodeConfig> LoadConfig(const std::string& data_dir);
// The config file `init` writes.
std::string DefaultConfigText(const std::string& database_url, const std::string& key_secret);

// Writes the port a listener bound to `path` (--port-file), whole or not at
// all: a scratch file renamed over it, so that whoever waits for the file
// never reads it empty or half written.
void WritePortFile(const std::string& path, unsigned short port);

class Node;

// Background work that one `chancery serve` at a time does among all those
// on one database (the exchange sender, the signer of tree heads): Lead()
// before each round says whether this process does it now. It holds the
// role's lease (sql::Lease) while it can, asks for it again on every call
// while another process holds it (so work is taken over within one round
// of a holder dying), and logs when it starts and stops leading.
class BackgroundRole {
 public:
  BackgroundRole(Node& node, std::string role) : node_(node), role_(std::move(role)) {}
  bool Lead();

 private:
  Node& node_;
  std::string role_;
  std::unique_ptr<sql::Lease> lease_;
};

// Wakes a background loop before its poll interval ends (the reader of
// files' text when a file is queued). Starts notified, so a loop's first
// round runs at once.
class Wakeup {
 public:
  void Notify();
  // Waits until notified or `timeout` passes; false once stopped.
  bool Wait(std::chrono::milliseconds timeout);
  void Stop();
  bool Stopped();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ = true;
  bool stopped_ = false;
};

class Node {
 public:
  static Result<std::unique_ptr<Node>> Open(const NodeConfig& config);

  // The modules' services (app/modules.h).
  services::OrgService& org() { return modules_->org; }
  services::SignatureService& signatures() { return modules_->signatures; }
  services::AuditService& audit() { return modules_->audit; }
  services::DocumentService& documents() { return modules_->documents; }
  services::ExchangeService& exchange() { return modules_->exchange; }
  services::SearchService& search() { return modules_->search; }
  store::Store& store() { return *store_; }
  const Clock& clock() const { return clock_; }
  // The node's structured log (JSON lines on standard error).
  Logger& logger() { return *logger_; }
  const NodeConfig& config() const { return config_; }
  sql::Database& database() { return *db_; }
  // Rung when a file's text is queued (services::Core::QueueFileText).
  Wakeup& file_texts_queued() { return file_texts_queued_; }

 private:
  explicit Node(NodeConfig config) : config_(std::move(config)) {}

  NodeConfig config_;
  ShiftedClock clock_;
  SystemRandom random_;
  std::unique_ptr<JsonLinesLogger> logger_;
  std::unique_ptr<WorkCalendar> calendar_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<app::Modules> modules_;
  Wakeup file_texts_queued_;
};

}  // namespace chancery::cli
