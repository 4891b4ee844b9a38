#include "lib/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>

#include "core/digest.h"
#include "lib/http/client.h"
#include "lib/http/json_body.h"
#include "lib/http/problem.h"

namespace chancery::http {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// A plain blocking socket, for what a well-behaved client cannot send.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  bool connected() const { return connected_; }

  void Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // Reads until the peer closes (or 5 s pass).
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    while (true) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  // Reads until `marker` has been seen (or the peer closes).
  std::string ReadUntil(std::string_view marker) {
    std::string out;
    char c;
    while (out.find(marker) == std::string::npos) {
      if (::recv(fd_, &c, 1, 0) != 1) break;
      out.push_back(c);
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

Response Text(std::string body, int status = 200) {
  Response r;
  r.status = status;
  r.SetHeader("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

std::string Code(const ClientResponse& r) {
  return std::string(json::parse(r.body).at("code").as_string());
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    file_path_ = ::testing::TempDir() + "/chancery_server_test_" + std::to_string(::getpid());
    std::ofstream out(file_path_, std::ios::binary);
    for (int i = 0; i < 1000; ++i) file_content_.push_back(static_cast<char>('A' + i % 26));
    out << file_content_;
  }
  ~ServerTest() override {
    StopServer();
    std::remove(file_path_.c_str());
  }

  void AddRoutes() {
    router_.Add(
        {.method = "GET", .pattern = "/hello", .handler = [](Request&) { return Text("hello"); }});
    router_.Add({.method = "GET", .pattern = "/echo/{name}", .handler = [](Request& r) {
                   json::object o{{"name", r.params.at("name")}, {"path", r.path}};
                   if (auto i = QueryParam(r, "i")) o["i"] = *i;
                   return JsonResponse(200, o);
                 }});
    router_.Add({.method = "POST", .pattern = "/echo", .handler = [](Request& r) {
                   Response resp = Text(r.body);
                   resp.SetHeader("X-Seen", std::string(r.header("x-test").value_or("")));
                   resp.SetHeader("X-Remote", r.remote_address);
                   return resp;
                 }});
    router_.Add({.method = "GET", .pattern = "/file", .handler = [this](Request&) {
                   Response r;
                   r.SetHeader("Content-Type", "application/octet-stream");
                   r.file = FileRange{file_path_, 10, 100};
                   return r;
                 }});
    router_.Add({.method = "GET", .pattern = "/file/missing", .handler = [this](Request&) {
                   Response r;
                   r.file = FileRange{file_path_ + ".none", 0, 1};
                   return r;
                 }});
    router_.Add({.method = "GET", .pattern = "/file/short", .handler = [this](Request&) {
                   Response r;
                   r.file = FileRange{file_path_, 990, 20};
                   return r;
                 }});
    router_.Add({.method = "GET", .pattern = "/throw", .handler = [](Request&) -> Response {
                   throw std::runtime_error("boom");
                 }});
    router_.Add({.method = "GET", .pattern = "/cache", .handler = [](Request&) {
                   Response r = Text("cached");
                   r.SetHeader("Cache-Control", "max-age=60");
                   return r;
                 }});
    router_.Add({.method = "DELETE", .pattern = "/nothing", .handler = [](Request&) {
                   return Response{.status = 204};
                 }});
    router_.Add({.method = "GET", .pattern = "/badheader", .handler = [](Request&) {
                   Response r = Text("ok");
                   r.headers.emplace_back("X-Split", "a\r\nSet-Cookie: evil=1");
                   r.headers.emplace_back("Content-Length", "999");
                   return r;
                 }});
    router_.Add({.method = "GET", .pattern = "/slow", .handler = [this](Request&) {
                   slow_entered_.set_value();
                   const bool released = slow_release_.wait_for(5s) == std::future_status::ready;
                   return Text(released ? "slow done" : "never released");
                 }});
  }

  void StartServer(ServerOptions options = {}, Server::Dispatch dispatch = nullptr) {
    if (router_.routes().empty()) AddRoutes();
    options.port = 0;
    options.error_log = [this](std::string_view m) {
      std::lock_guard lock(mu_);
      errors_.emplace_back(m);
    };
    if (!options.access_log) {
      options.access_log = [this](const AccessLogEntry& e) {
        std::lock_guard lock(mu_);
        access_.push_back(e);
      };
    }
    server_ = std::make_unique<Server>(std::move(options), router_, std::move(dispatch));
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_NE(server_->port(), 0);
    run_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (run_.joinable()) run_.join();
    server_.reset();
  }

  HttpClient Client() { return HttpClient("127.0.0.1", server_->port()); }

  std::vector<std::string> Errors() {
    std::lock_guard lock(mu_);
    return errors_;
  }
  std::vector<AccessLogEntry> Access() {
    std::lock_guard lock(mu_);
    return access_;
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread run_;
  std::string file_path_;
  std::string file_content_;
  std::promise<void> slow_entered_;
  std::promise<void> slow_release_promise_;
  std::shared_future<void> slow_release_ = slow_release_promise_.get_future().share();
  std::mutex mu_;
  std::vector<std::string> errors_;
  std::vector<AccessLogEntry> access_;
};

TEST_F(ServerTest, AnswersARoute) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("GET", "/hello");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r->header("Content-Length"), "5");
}

TEST_F(ServerTest, NotFoundIsProblemJson) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("GET", "/nope?x=1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(Code(*r), "not_found");
  EXPECT_EQ(json::parse(r->body).at("instance"), json::value("/nope"));
}

TEST_F(ServerTest, FallbackAnswersUnroutedGetsOnly) {
  ServerOptions options;
  options.fallback = [](const Request& r) -> std::optional<Response> {
    if (r.path != "/app/page") return std::nullopt;
    Response resp;
    resp.body = "the app";
    return resp;
  };
  StartServer(std::move(options));
  HttpClient client = Client();
  auto page = client.Send("GET", "/app/page");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "the app");
  auto routed = client.Send("GET", "/hello");  // a route still wins
  ASSERT_TRUE(routed.ok());
  EXPECT_EQ(routed->body, "hello");
  auto other = client.Send("GET", "/elsewhere");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 404);
  EXPECT_EQ(Code(*other), "not_found");
  auto post = client.Send("POST", "/app/page", "x");  // only reads reach the fallback
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 404);
}

TEST_F(ServerTest, MethodNotAllowedListsAllow) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("DELETE", "/hello");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->header("Allow"), "GET, HEAD");
  EXPECT_EQ(r->header("Content-Type"), "application/problem+json");
  auto p = client.Send("PUT", "/echo");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->header("Allow"), "POST");
  EXPECT_EQ(client.connections_opened(), 1);  // errors keep the connection
}

TEST_F(ServerTest, PathParamsQueryAndHeadersReachTheHandler) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("GET", "/echo/15%2F2020%2FN%C4%90-CP?i=a+b%21");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body), json::parse(R"({"name":"15/2020/NĐ-CP",
                                                   "path":"/echo/15/2020/NĐ-CP","i":"a b!"})"));
  auto e = client.Send("POST", "/echo", "payload", {{"X-Test", "yes"}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->body, "payload");
  EXPECT_EQ(e->header("X-Seen"), "yes");
  EXPECT_EQ(e->header("X-Remote"), "127.0.0.1");
}

TEST_F(ServerTest, BadPercentEncodingIs400) {
  StartServer();
  HttpClient client = Client();
  for (const char* target : {"/hello%zz", "/hello?x=%", "/echo/%C3", "/echo/a%00b"}) {
    auto r = client.Send("GET", target);
    ASSERT_TRUE(r.ok()) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_EQ(Code(*r), "malformed_request");
  }
}

TEST_F(ServerTest, StandardResponseHeaders) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("GET", "/hello");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header("Server"), "chancery");
  EXPECT_EQ(r->header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->header("Cache-Control"), "no-store");
  const std::regex date(R"(^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|)"
                        R"(Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$)");
  EXPECT_TRUE(std::regex_match(r->header("Date").value_or(""), date)) << *r->header("Date");
  auto c = client.Send("GET", "/cache");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->header("Cache-Control"), "max-age=60");
  // Problems from the server itself carry them too.
  auto n = client.Send("GET", "/nope");
  EXPECT_EQ(n->header("X-Content-Type-Options"), "nosniff");
}

TEST_F(ServerTest, InvalidHandlerHeadersAreDropped) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("GET", "/badheader");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(r->header("Content-Length"), "2");
  EXPECT_FALSE(r->header("X-Split").has_value());
  EXPECT_FALSE(r->header("Set-Cookie").has_value());
}

TEST_F(ServerTest, NoContent) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("DELETE", "/nothing");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 204);
  EXPECT_TRUE(r->body.empty());
  EXPECT_FALSE(r->header("Content-Length").has_value());
  EXPECT_TRUE(client.Send("GET", "/hello").ok());
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ServerTest, PayloadTooLargeFromContentLength) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  HttpClient client = Client();
  auto ok = client.Send("POST", "/echo", std::string(1024, 'x'));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body.size(), 1024u);

  auto r = client.Send("POST", "/echo", std::string(64 << 10, 'x'));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(Code(*r), "payload_too_large");
  EXPECT_EQ(r->header("Connection"), "close");
  // The client opens a new connection and carries on.
  auto again = client.Send("GET", "/hello");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 200);
}

// Issue #11: bodies held in memory at once are bounded over all
// connections; over the budget a request is told to come back (429), and
// the budget frees when a request is done.
TEST_F(ServerTest, BodiesInMemoryStayWithinTheBudget) {
  ServerOptions options;
  options.max_body_bytes = 100 << 10;
  options.max_buffered_body_bytes = 100 << 10;
  StartServer(options);
  RawConnection holding(server_->port());
  ASSERT_TRUE(holding.connected());
  // "100 Continue" comes once the server has taken the body's place.
  holding.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 81920\r\n"
      "Expect: 100-continue\r\n\r\n");
  EXPECT_TRUE(holding.ReadUntil("\r\n\r\n").starts_with("HTTP/1.1 100"));
  HttpClient client = Client();
  auto r = client.Send("POST", "/echo", std::string(81920, 'b'));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ClientResponse busy = *r;
  EXPECT_EQ(busy.status, 429);
  EXPECT_EQ(Code(busy), "too_many_requests");
  EXPECT_EQ(busy.header("Retry-After"), "5");
  holding.Send(std::string(81920, 'a'));
  const std::string done = holding.ReadUntil(std::string(10, 'a'));
  EXPECT_TRUE(done.starts_with("HTTP/1.1 200 ")) << done.substr(0, 80);
  auto again = client.Send("POST", "/echo", std::string(81920, 'b'));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 200);
}

// Issue #11: a large upload to a streaming route goes to a file as it
// arrives; the handler reads it mapped; the file is gone after the answer.
TEST_F(ServerTest, LargeUploadsToStreamingRoutesGoToAFile) {
  const std::string dir = ::testing::TempDir() + "/chancery_bodies_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string seen_path;
  router_.Add({.method = "POST",
               .pattern = "/upload",
               .handler =
                   [&seen_path](Request& r) {
                     seen_path = r.body_path;
                     BodyView body(r);
                     return Text(std::to_string(r.body.size()) + " " +
                                 std::to_string(body.bytes().size()) + " " +
                                 Sha256Hex(body.bytes()));
                   },
               .stream_body = true});
  ServerOptions options;
  options.body_dir = dir;
  options.max_body_bytes = 4 << 20;
  StartServer(options);
  const std::string big(3 << 20, 'z');
  HttpClient client = Client();
  auto r = client.Send("POST", "/upload", big);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "0 " + std::to_string(big.size()) + " " + Sha256Hex(big));
  EXPECT_TRUE(seen_path.starts_with(dir)) << seen_path;
  // The next request on the connection starts once the file is removed.
  ASSERT_TRUE(client.Send("GET", "/hello").ok());
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  // Small bodies, and routes that do not stream, stay in memory.
  auto small = client.Send("POST", "/upload", std::string(100, 's'));
  ASSERT_TRUE(small.ok());
  EXPECT_TRUE(small->body.starts_with("100 100 ")) << small->body;
  std::filesystem::remove_all(dir);
}

// Issue #11: a client that trickles its headers (slowloris) is dropped once
// the header timeout passes, however long the idle timeout is.
TEST_F(ServerTest, SlowHeadersAreDropped) {
  ServerOptions options;
  options.header_timeout = 1s;
  options.idle_timeout = 60s;
  StartServer(options);
  RawConnection slow(server_->port());
  ASSERT_TRUE(slow.connected());
  slow.Send("GET /hello HTTP/1.1\r\nHost: x\r\n");  // and nothing more
  const auto start = std::chrono::steady_clock::now();
  const std::string reply = slow.ReadAll();  // returns when the server closes (or after 5 s)
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s) << "dropped by the header timeout";
  EXPECT_EQ(reply.find("200 OK"), std::string::npos);
}

TEST_F(ServerTest, PayloadTooLargeWhenChunked) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.connected());
  std::string chunk(4096, 'y');
  raw.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n" + chunk +
           "\r\n0\r\n\r\n");
  const std::string reply = raw.ReadAll();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413 ")) << reply.substr(0, 100);
  EXPECT_NE(reply.find("payload_too_large"), std::string::npos);
}

TEST_F(ServerTest, ExpectContinue) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  {
    RawConnection raw(server_->port());
    raw.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(raw.ReadUntil("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
    raw.Send("hello");
    const std::string reply = raw.ReadUntil("hello");
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  }
  {
    // Too large: refused before the client sends the body.
    RawConnection raw(server_->port());
    raw.Send(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n"
        "Expect: 100-continue\r\n\r\n");
    EXPECT_TRUE(raw.ReadAll().starts_with("HTTP/1.1 413 "));
  }
}

TEST_F(ServerTest, MalformedHttpIs400) {
  StartServer();
  for (const char* garbage :
       {"GARBAGE\r\n\r\n", "GET /hello HTTP/9.9\r\n\r\n",
        "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n", "GET hello HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    RawConnection raw(server_->port());
    raw.Send(garbage);
    const std::string reply = raw.ReadAll();
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 ")) << garbage << " → " << reply.substr(0, 60);
    EXPECT_NE(reply.find("application/problem+json"), std::string::npos);
  }
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  StartServer(options);
  RawConnection raw(server_->port());
  raw.Send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'z') + "\r\n\r\n");
  EXPECT_TRUE(raw.ReadAll().starts_with("HTTP/1.1 431 "));
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  RawConnection raw(server_->port());
  raw.Send(
      "GET /echo/first HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /echo/third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string all = raw.ReadAll();
  const auto first = all.find("\"first\"");
  const auto second = all.find("HTTP/1.1 404");
  const auto third = all.find("\"third\"");
  ASSERT_NE(first, std::string::npos) << all;
  ASSERT_NE(second, std::string::npos) << all;
  ASSERT_NE(third, std::string::npos) << all;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST_F(ServerTest, HundredRequestsOnOneConnection) {
  StartServer();
  HttpClient client = Client();
  for (int i = 0; i < 100; ++i) {
    auto r = client.Send("GET", "/echo/n?i=" + std::to_string(i));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(json::parse(r->body).at("i"), json::value(std::to_string(i)));
  }
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(server_->connections_accepted(), 1u);
}

TEST_F(ServerTest, FileRangeIsStreamed) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("GET", "/file");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, file_content_.substr(10, 100));
  EXPECT_EQ(r->header("Content-Length"), "100");
  EXPECT_EQ(r->header("Content-Type"), "application/octet-stream");

  auto head = client.Send("HEAD", "/file");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(head->header("Content-Length"), "100");
  // The connection is still in sync after HEAD.
  auto after = client.Send("GET", "/hello");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->body, "hello");
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ServerTest, UnreadableFileIs500AndLogged) {
  StartServer();
  HttpClient client = Client();
  for (const char* target : {"/file/missing", "/file/short"}) {
    auto r = client.Send("GET", target);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 500) << target;
    EXPECT_EQ(Code(*r), "internal");
  }
  EXPECT_EQ(Errors().size(), 2u);
}

TEST_F(ServerTest, HeadOfAStringBody) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("HEAD", "/hello");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Length"), "5");
  EXPECT_TRUE(r->body.empty());
}

TEST_F(ServerTest, ThrowingHandlerIs500) {
  StartServer();
  HttpClient client = Client();
  auto r = client.Send("GET", "/throw");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(Code(*r), "internal");
  EXPECT_EQ(r->body.find("boom"), std::string::npos);  // details are logged, not shown
  auto errors = Errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("boom"), std::string::npos);
  EXPECT_EQ(client.Send("GET", "/hello")->status, 200);
}

TEST_F(ServerTest, DispatchHookSeesTheMatch) {
  Server::Dispatch dispatch = [](Request& request, const Router::Match& match) {
    Response r = match.route->handler(request);
    r.SetHeader("X-Pattern", match.route->pattern);
    r.SetHeader("X-Param", request.params.count("name") ? request.params.at("name") : "");
    return r;
  };
  StartServer({}, dispatch);
  HttpClient client = Client();
  auto r = client.Send("GET", "/echo/abc");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header("X-Pattern"), "/echo/{name}");
  EXPECT_EQ(r->header("X-Param"), "abc");
  // 404 never reaches the dispatch.
  EXPECT_FALSE(client.Send("GET", "/nope")->header("X-Pattern").has_value());
}

TEST_F(ServerTest, AccessLogHasNoQueryNoHeaders) {
  StartServer();
  HttpClient client = Client();
  ASSERT_TRUE(client.Send("GET", "/echo/x?token=secret", "", {{"Authorization", "Bearer s"}}).ok());
  ASSERT_TRUE(client.Send("GET", "/nope").ok());
  StopServer();  // the log line is written after the response; stopping flushes it
  auto log = Access();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].method, "GET");
  EXPECT_EQ(log[0].path, "/echo/x");
  EXPECT_EQ(log[0].status, 200);
  EXPECT_GT(log[0].bytes, 0u);
  EXPECT_GE(log[0].micros, 0);
  EXPECT_EQ(log[0].remote, "127.0.0.1");
  EXPECT_EQ(log[1].status, 404);
}

TEST_F(ServerTest, EightConcurrentClients) {
  ServerOptions options;
  options.io_threads = 2;
  options.worker_threads = 4;
  StartServer(options);
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = Client();
      for (int i = 0; i < 50; ++i) {
        const std::string name = "t" + std::to_string(t);
        auto r = client.Send("GET", "/echo/" + name + "?i=" + std::to_string(i));
        if (!r.ok() || r->status != 200) continue;
        const json::value v = json::parse(r->body);
        if (v.at("name") == json::value(name) && v.at("i") == json::value(std::to_string(i))) {
          ++good;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 400);
  EXPECT_EQ(server_->connections_accepted(), 8u);
}

TEST_F(ServerTest, ASlowHandlerDoesNotBlockOtherConnections) {
  ServerOptions options;
  options.io_threads = 1;
  options.worker_threads = 2;
  StartServer(options);
  auto slow = std::async(std::launch::async, [this] {
    HttpClient client = Client();
    return client.Send("GET", "/slow");
  });
  ASSERT_EQ(slow_entered_.get_future().wait_for(5s), std::future_status::ready);
  // The handler is now blocked on a worker; the I/O thread must still serve.
  HttpClient client = Client();
  client.set_timeout(2s);
  auto fast = client.Send("GET", "/hello");
  ASSERT_TRUE(fast.ok()) << fast.error().message;
  EXPECT_EQ(fast->body, "hello");
  slow_release_promise_.set_value();
  auto s = slow.get();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->body, "slow done");
}

TEST_F(ServerTest, StopLetsInFlightRequestsFinish) {
  StartServer();
  HttpClient idle = Client();
  ASSERT_TRUE(idle.Send("GET", "/hello").ok());  // an idle kept-alive connection
  auto slow = std::async(std::launch::async, [this] {
    HttpClient client = Client();
    return client.Send("GET", "/slow");
  });
  ASSERT_EQ(slow_entered_.get_future().wait_for(5s), std::future_status::ready);
  server_->Stop();
  // New connections are refused once the acceptor is closed.
  for (int i = 0; i < 100; ++i) {
    RawConnection probe(server_->port());
    if (!probe.connected()) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(RawConnection(server_->port()).connected());
  slow_release_promise_.set_value();
  auto s = slow.get();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->status, 200);
  EXPECT_EQ(s->body, "slow done");
  EXPECT_EQ(s->header("Connection"), "close");
  run_.join();  // Run returns once the last request is answered
  server_.reset();
}

TEST_F(ServerTest, StopBeforeRunReturnsAtOnce) {
  AddRoutes();
  ServerOptions options;
  options.port = 0;
  Server server(options, router_);
  ASSERT_TRUE(server.Start().ok());
  server.Stop();
  server.Run();  // returns
  SUCCEED();
}

TEST_F(ServerTest, StartFailsOnBadAddressOrBusyPort) {
  AddRoutes();
  ServerOptions bad;
  bad.address = "not-an-ip";
  Server a(bad, router_);
  Status s = a.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);

  StartServer();
  ServerOptions busy;
  busy.port = server_->port();
  Server b(busy, router_);
  Status t = b.Start();
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnavailable);
}

TEST_F(ServerTest, ClientReconnectsAfterIdleClose) {
  ServerOptions options;
  options.idle_timeout = 1s;
  StartServer(options);
  HttpClient client = Client();
  ASSERT_TRUE(client.Send("GET", "/hello").ok());
  std::this_thread::sleep_for(1300ms);  // the server drops the idle connection
  auto r = client.Send("POST", "/echo", "again");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "again");
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST(HttpClientTest, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there in the test environment.
  HttpClient client("127.0.0.1", 1);
  auto r = client.Send("GET", "/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace chancery::http
