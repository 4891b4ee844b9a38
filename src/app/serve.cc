// `chancery serve`: the HTTP API (and the web UI), the peers' listener and
// the exchange sender, periodic signed tree heads, and a clean stop on
// SIGINT/SIGTERM. Several servers may share one PostgreSQL database
// (docs/deployment.md): each answers requests and takes packages from
// peers; the sender and the signer run on one of them at a time.
#include "app/serve.h"

#include <signal.h>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "app/api.h"
#include "app/exchange_node.h"
#include "lib/http/server.h"
#include "lib/http/static_site.h"
#include "services/commands.h"

namespace chancery::cli {

int Serve(Node& node, const ServeOptions& o) {
  http::Router router;
  http::Api api({node.org(), node.documents(), node.audit(), node.signatures(), node.exchange(),
                 node.search()},
                node.store(), node.clock(),
                {.secure_cookies = node.config().secure_cookies,
                 .trusted_proxies = node.config().trusted_proxies},
                node.logger());
  api.Register(router);
  http::ServerOptions opts;
  opts.address = o.address.empty() ? node.config().address : o.address;
  opts.port = static_cast<std::uint16_t>(o.port >= 0 ? o.port : node.config().port);
  opts.io_threads = node.config().io_threads;
  opts.worker_threads = node.config().worker_threads;
  opts.max_body_bytes = node.config().max_upload_bytes + (1 << 20);
  opts.shutdown_grace = std::chrono::seconds(3);
  opts.max_connections_per_address = node.config().max_connections_per_address;
  opts.admit = [&api](const http::Request& head) { return api.AdmitBody(head); };
  // Large uploads go to files in the node's temporary folder as they arrive.
  opts.body_dir = node.config().services.temp_dir;
  const std::string ui_dir = o.ui_dir.empty() ? node.config().ui_dir : o.ui_dir;
  std::optional<http::StaticSite> site;
  if (!ui_dir.empty()) {
    auto opened = http::StaticSite::Open(ui_dir);
    if (!opened.ok()) return services::Fail(opened.error());
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
  if (auto st = server.Start(); !st.ok()) return services::Fail(st.error());
  std::cout << "chancery serving on http://" << opts.address << ":" << server.port() << std::endl;
  // Other agencies' nodes: the mutual-TLS listener and the sender.
  auto exchange = cli::ExchangeRunner::Start(node, api, o.after_peer_request, o.exchange_port);
  if (!exchange.ok()) return services::Fail(exchange.error());
  if (*exchange) {
    std::cout << "chancery exchange on https://" << node.config().exchange_address << ":"
              << (*exchange)->port() << std::endl;
  }
  if (!o.exchange_port_file.empty()) {
    WritePortFile(o.exchange_port_file, *exchange ? (*exchange)->port() : 0);
  }
  if (!o.port_file.empty()) WritePortFile(o.port_file, server.port());
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
      node.logger().Log(LogLevel::kError, "serve.stop_timeout",
                        {{"message", "requests still running 4.5 s after the stop signal"}});
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
    // One server signs, among all on the database.
    BackgroundRole signer(node, "tree-heads");
    std::unique_lock lock(heads_mu);
    while (every.count() > 0 && !heads_cv.wait_for(lock, every, [&] { return stopping; })) {
      if (!signer.Lead()) continue;
      auto head = node.audit().AuditHead(User{.roles = kRoleSecurity});
      if (!head.ok() || head->first == signed_size) continue;
      // (signing appends its own audit record: that one alone is no growth)
      if (auto r = node.signatures().SignTreeHead(services::ConsoleOperator()); r.ok())
        signed_size = r->tree_size + 1;
    }
  });
  // Files' text, read in a child process off the requests that brought
  // the files (services::Core::ReadQueuedFileTexts): woken when one is
  // queued here, and every 10 s for those queued on other servers. One
  // file per call, so that a stop waits for one file at most.
  std::thread texts([&] {
    BackgroundRole reader(node, "file-texts");
    Wakeup& queued = node.file_texts_queued();
    while (queued.Wait(std::chrono::seconds(10))) {
      if (!reader.Lead()) continue;
      while (!queued.Stopped()) {
        auto read = node.documents().ReadQueuedFileTexts(1);
        if (!read.ok() && !queued.Stopped()) {
          node.logger().Log(LogLevel::kWarning, "file_text.round_failed",
                            {{"message", read.error().message}});
        }
        if (!read.ok() || *read == 0) break;
      }
    }
  });
  server.Run();
  node.file_texts_queued().Stop();
  {
    std::lock_guard lock(heads_mu);
    stopping = true;
  }
  heads_cv.notify_all();
  heads.join();
  texts.join();
  {
    std::lock_guard lock(done_mu);
    done = true;
  }
  done_cv.notify_all();
  pthread_kill(signals.native_handle(), SIGTERM);
  signals.join();
  return 0;
}

}  // namespace chancery::cli
