// serve/http_server.cc — see http_server.h.
#include "serve/http_server.h"

#include <httplib.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <memory>
#include <thread>

#include "serve/security.h"

namespace trove::serve {
namespace {

constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// JSON-RPC messages (MCP) are the protocol's own objects: a strict client such
// as the MCP SDK rejects any key the protocol does not define, json_version too.
void send_plain_json(httplib::Response& res, int status, const json& message) {
  res.status = status;
  res.set_content(dump(message), "application/json; charset=utf-8");
}

// Every other JSON reply is a versioned document, as the CLI's --json ones are.
void send_json(httplib::Response& res, int status, const json& body) {
  send_plain_json(res, status, body.is_object() ? versioned(body) : body);
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, json{{"error", message}});
}

std::string sse(const std::string& event, const json& data) {
  return "event: " + event + "\ndata: " + dump(data) + "\n\n";
}

// Counts requests being served; a guard per request, shared with a stream's provider
// so a long SSE answer counts until it ends.
struct InFlight {
  explicit InFlight(std::atomic<int>& n) : n_(n) { ++n_; }
  ~InFlight() { --n_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  std::atomic<int>& n_;
};

// SIGINT/SIGTERM stop the server cleanly (exit 0): the handler only writes a byte to
// a pipe, and a thread reading it calls `stop` from ordinary code, so requests in
// flight finish their writes. A handler rather than sigwait() because threads that
// exist before the server starts (libraries' pools) would not have the signals
// blocked and would take the default action, killing the process.
std::atomic<int> g_stop_pipe{-1};  // lock-free, so safe to read in a handler

extern "C" void on_stop_signal(int) {
  const int saved = errno;
  const char c = 1;
  const int fd = g_stop_pipe.load();
  if (fd >= 0 && ::write(fd, &c, 1) < 0) {
    // Nothing to do: the pipe is full only if a stop is already pending.
  }
  errno = saved;
}

class StopOnSignal {
 public:
  explicit StopOnSignal(std::function<void()> stop) {
    if (::pipe2(fds_, O_CLOEXEC) != 0) return;
    g_stop_pipe = fds_[1];
    struct sigaction sa = {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
    waiter_ = std::thread([this, stop = std::move(stop)] {
      char c = 0;
      while (::read(fds_[0], &c, 1) < 0 && errno == EINTR) {
      }
      if (c == 1) stop();  // 0: the server ended by itself
    });
  }
  ~StopOnSignal() {
    if (fds_[1] < 0) return;
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    g_stop_pipe = -1;
    const char c = 0;
    if (::write(fds_[1], &c, 1) < 0) {
      // Cannot happen with an empty pipe; the waiter would already have ended.
    }
    waiter_.join();
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  int fds_[2] = {-1, -1};
  struct sigaction old_int_ = {}, old_term_ = {};
  std::thread waiter_;
};

bool parse_int(const std::string& s, int64_t lo, int64_t hi, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end != '\0' || v < lo || v > hi) return false;
  *out = v;
  return true;
}

index::SearchFilters filters_from(const httplib::Request& req) {
  index::SearchFilters f;
  f.path_glob = req.get_param_value("path");
  f.type = req.get_param_value("type");
  f.source = req.get_param_value("source");
  return f;
}

class Server {
 public:
  Server(Service& svc, McpServer& mcp, const HttpOptions& o) : svc_(svc), mcp_(mcp), o_(o) {
    policy_.bound_host = o.host;
    policy_.token = o.token;
    policy_.extra_hosts = o.allow_hosts;
  }

  int run() {
    // cpp-httplib takes the raw pointer and deletes it when the server stops.
    http_.new_task_queue = [n = o_.threads] {
      return new httplib::ThreadPool(n);  // NOLINT(cppcoreguidelines-owning-memory)
    };
    http_.set_payload_max_length(o_.max_body_bytes);
    http_.set_read_timeout(10, 0);
    http_.set_write_timeout(30, 0);
    http_.set_keep_alive_timeout(5);
    // Small JSON replies on kept-alive connections: without TCP_NODELAY, Nagle's
    // algorithm and the client's delayed ACK add ~40 ms to every reply.
    http_.set_tcp_nodelay(true);
    http_.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return gate(req, res); });
    http_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      switch (res.status) {
        case 404: return send_error(res, 404, "not found");
        case 413: return send_error(res, 413, "request body too large");
        case 414: return send_error(res, 414, "request line too long");
        default: return send_error(res, res.status, "request refused");
      }
    });
    http_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
          send_error(res, 500, "internal error");
        });
    if (o_.web) routes_web();
    if (o_.mcp) routes_mcp();

    const int port = o_.port == 0 ? http_.bind_to_any_port(o_.host)
                                  : (http_.bind_to_port(o_.host, o_.port) ? o_.port : -1);
    if (port <= 0) {
      std::fprintf(stderr, "trove: cannot listen on %s:%d (in use, or not an address here)\n",
                   o_.host.c_str(), o_.port);
      return 2;
    }
    policy_.port = port;
    const bool v6 = o_.host.find(':') != std::string::npos;
    const std::string url =
        "http://" + (v6 ? "[" + o_.host + "]" : o_.host) + ":" + std::to_string(port) + "/";
    if (o_.on_listening) o_.on_listening(url);
    StopOnSignal stopper([this] { http_.stop(); });
    http_.listen_after_bind();
    return 0;
  }

 private:

  httplib::Server::HandlerResponse gate(const httplib::Request& req, httplib::Response& res) {
    using R = httplib::Server::HandlerResponse;
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", "no-store");
    if (!host_allowed(policy_, req.get_header_value("Host"))) {
      send_error(res, 421, "the Host header does not name this server (DNS rebinding defence)");
      return R::Handled;
    }
    if (!origin_allowed(policy_, req.get_header_value("Origin"))) {
      send_error(res, 403, "cross-origin requests are not allowed");
      return R::Handled;
    }
    // The page itself holds no data; with a token it reads it from the URL fragment
    // (never sent to the server) and sends it on every API call.
    const bool page = req.method == "GET" &&
                      (req.path == "/" || req.path == "/app.js" || req.path == "/app.css");
    if (!page && !bearer_ok(policy_, req.get_header_value("Authorization"))) {
      res.set_header("WWW-Authenticate", "Bearer");
      send_error(res, 401, "this server needs Authorization: Bearer TOKEN");
      return R::Handled;
    }
    if (in_flight_.load() >= o_.max_in_flight) {
      res.set_header("Retry-After", "1");
      send_error(res, 503, "too many requests in flight; try again shortly");
      return R::Handled;
    }
    return R::Unhandled;
  }

  void routes_web() {
    http_.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Security-Policy", kCsp);
      res.set_content(web_page_html(), "text/html; charset=utf-8");
    });
    http_.Get("/app.js", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(web_page_js(), "text/javascript; charset=utf-8");
    });
    http_.Get("/app.css", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(web_page_css(), "text/css; charset=utf-8");
    });
    http_.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
      InFlight g(in_flight_);
      SearchRequest r;
      r.query = req.get_param_value("q");
      int64_t k = 10;
      if (req.has_param("k") && !parse_int(req.get_param_value("k"), 1, 1 << 20, &k))
        return send_error(res, 400, "k must be a positive integer");
      r.k = static_cast<int>(k);
      r.mode = req.get_param_value("mode");
      r.filters = filters_from(req);
      Outcome o = svc_.search(r);
      send_json(res, o.status, o.body);
    });
    http_.Get(R"(/api/passage/(\d{1,18}))",
              [this](const httplib::Request& req, httplib::Response& res) {
                InFlight g(in_flight_);
                int64_t id = 0, n = 1;
                if (!parse_int(req.matches[1], 1, INT64_MAX, &id))
                  return send_error(res, 404, "no such passage");
                if (req.has_param("neighbours") &&
                    !parse_int(req.get_param_value("neighbours"), 0, 20, &n))
                  return send_error(res, 400, "neighbours must be between 0 and 20");
                Outcome o = svc_.passage(id, static_cast<int>(n));
                send_json(res, o.status, o.body);
              });
    http_.Get("/api/document", [this](const httplib::Request& req, httplib::Response& res) {
      InFlight g(in_flight_);
      int64_t id = 0, page = 0;
      if (req.has_param("id") && !parse_int(req.get_param_value("id"), 1, INT64_MAX, &id))
        return send_error(res, 404, "no such document");
      if (req.has_param("page") && !parse_int(req.get_param_value("page"), 1, 1 << 24, &page))
        return send_error(res, 400, "page must be a positive integer");
      const std::string path = req.get_param_value("path");
      if (path.empty() && id == 0) return send_error(res, 400, "give path or id");
      Outcome o = svc_.document(path, id, static_cast<int>(page));
      send_json(res, o.status, o.body);
    });
    http_.Get("/api/status", [this](const httplib::Request&, httplib::Response& res) {
      InFlight g(in_flight_);
      Outcome o = svc_.status();
      send_json(res, o.status, o.body);
    });
    http_.Post("/api/ask", [this](const httplib::Request& req, httplib::Response& res) {
      ask(req, res);
    });
    http_.Post("/api/index", [this](const httplib::Request& req, httplib::Response& res) {
      index(req, res);
    });
  }

  static Result<json> body_object(const httplib::Request& req) {
    if (req.body.empty()) return json::object();
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return make_error("the body must be a JSON object");
    return j;
  }

  void ask(const httplib::Request& req, httplib::Response& res) {
    auto g = std::make_shared<InFlight>(in_flight_);
    auto body = body_object(req);
    if (!body.ok()) return send_error(res, 400, body.error().message);
    AskRequest r;
    try {
      r.question = body->value("question", "");
      r.k = body->value("k", 8);
      r.mode = body->value("mode", "");
      r.no_llm = body->value("no_llm", false);
      r.strict = body->value("strict", false);
      r.max_tokens = std::clamp(body->value("max_tokens", 512), 16, 2048);
      r.filters.path_glob = body->value("path", "");
      r.filters.type = body->value("type", "");
    } catch (const json::exception&) {
      return send_error(res, 400, "question must be a string, k and max_tokens integers");
    }
    if (r.question.empty()) return send_error(res, 400, "the question is empty");
    if (req.get_header_value("Accept") == "application/json") {
      Outcome o = svc_.ask(r, {}, {});
      return send_json(res, o.status, o.body);
    }
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream", [this, r, g](size_t, httplib::DataSink& sink) {
          // A client that goes away ends the generation at the next token.
          auto put = [&](const std::string& s) { return sink.is_writable() && sink.write(s.data(), s.size()); };
          auto on_retrieved = [&](const answer::Answer& a) {
            put(sse("sources", {{"sources", sources_json(a.sources)}, {"note", a.note}}));
          };
          auto on_text = [&](std::string_view t) {
            return put(sse("token", {{"text", std::string(t)}}));
          };
          // Each sentence's verdict as soon as the verifier has it, after its tokens.
          auto on_sentence = [&](const answer::SentenceCheck& s, bool kept) {
            json j = sentence_json(s);
            j["shown"] = kept;
            put(sse("sentence", j));
          };
          Outcome o = svc_.ask(r, on_text, on_retrieved, on_sentence);
          put(o.ok() ? sse("done", versioned(o.body)) : sse("error", {{"status", o.status}, {"error", o.body["error"]}}));
          sink.done();
          return true;
        });
  }

  void index(const httplib::Request& req, httplib::Response& res) {
    auto g = std::make_shared<InFlight>(in_flight_);
    auto body = body_object(req);
    if (!body.ok()) return send_error(res, 400, body.error().message);
    if (body->contains("paths")) {
      return send_error(res, 400,
                        "the server re-indexes the registered folders only; add a folder with "
                        "`trove index PATH` on this machine");
    }
    if (svc_.indexing()) return send_error(res, 409, "an index run is already in progress");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream", [this, g](size_t, httplib::DataSink& sink) {
          // The run goes on when the client leaves: a half-done run is never left.
          bool open = true;
          auto put = [&](const std::string& s) {
            if (open) open = sink.is_writable() && sink.write(s.data(), s.size());
          };
          answer::UpdateCallbacks cb;
          cb.on_progress = [&](const index::IndexProgress& p) {
            put(sse("progress", {{"files_done", p.files_done}, {"files_total", p.files_total},
                                 {"bytes_done", p.bytes_done}, {"bytes_total", p.bytes_total}}));
          };
          cb.on_failure = [&](const index::FileFailure& f) {
            put(sse("failure", {{"path", f.path}, {"reason", f.reason}, {"detail", f.detail}}));
          };
          cb.on_embed_progress = [&](int64_t done, int64_t total) {
            put(sse("embedding", {{"done", done}, {"total", total}}));
          };
          Outcome o = svc_.index({}, cb);
          put(o.ok() ? sse("done", versioned(o.body)) : sse("error", {{"status", o.status}, {"error", o.body["error"]}}));
          sink.done();
          return true;
        });
  }

  void routes_mcp() {
    http_.Post("/mcp", [this](const httplib::Request& req, httplib::Response& res) {
      mcp_post(req, res);
    });
    auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Allow", "POST");
      send_error(res, 405, "this MCP server offers no server-initiated stream; POST messages");
    };
    http_.Get("/mcp", not_allowed);
    http_.Delete("/mcp", not_allowed);
  }

  void mcp_post(const httplib::Request& req, httplib::Response& res) {
    auto g = std::make_shared<InFlight>(in_flight_);
    const std::string version = req.get_header_value("MCP-Protocol-Version");
    const auto& ours = mcp_protocol_versions();
    if (!version.empty() && std::find(ours.begin(), ours.end(), version) == ours.end())
      return send_error(res, 400, "unsupported MCP-Protocol-Version " + version);
    json msg = json::parse(req.body, nullptr, false);
    if (msg.is_discarded()) {
      return send_plain_json(
          res, 400,
          {{"jsonrpc", "2.0"}, {"id", nullptr},
           {"error", {{"code", -32700}, {"message", "parse error: not JSON"}}}});
    }
    const bool streams = msg.is_object() && msg.value("method", "") == "tools/call" &&
                         msg.contains("params") && msg["params"].is_object() &&
                         msg["params"].value("name", "") == "ask" &&
                         req.get_header_value("Accept").find("text/event-stream") != std::string::npos;
    if (!streams) {
      auto reply = mcp_.handle(msg, {});
      if (!reply) {
        res.status = 202;
        return;
      }
      return send_plain_json(res, 200, *reply);
    }
    // ask with SSE: progress notifications as they come, then the reply.
    res.set_chunked_content_provider(
        "text/event-stream", [this, msg, g](size_t, httplib::DataSink& sink) {
          auto put = [&](const json& m) {
            const std::string s = "event: message\ndata: " + dump(m) + "\n\n";
            if (sink.is_writable()) sink.write(s.data(), s.size());
          };
          if (auto reply = mcp_.handle(msg, put)) put(*reply);
          sink.done();
          return true;
        });
  }

  Service& svc_;
  McpServer& mcp_;
  HttpOptions o_;
  AccessPolicy policy_;
  httplib::Server http_;
  std::atomic<int> in_flight_{0};
};

}  // namespace

int run_http_server(Service& service, McpServer& mcp, const HttpOptions& options) {
  // A client that hangs up mid-stream must cost a failed write, not the process.
  ::signal(SIGPIPE, SIG_IGN);
  Server s(service, mcp, options);
  return s.run();
}

}  // namespace trove::serve
