// serve/mcp.cc — see mcp.h.
#include "serve/mcp.h"

#include <cstdio>

#include <algorithm>
#include <cstdlib>

namespace trove::serve {
namespace {

constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601,
              kInvalidParams = -32602, kResourceNotFound = -32002;
constexpr const char* kDocScheme = "trove://doc/";
constexpr int kResourcePage = 200;

json error_reply(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json text_result(const std::string& text, json structured, bool is_error) {
  json r = {{"content", json::array({{{"type", "text"}, {"text", text}}})}, {"isError", is_error}};
  if (!structured.is_null()) r["structuredContent"] = std::move(structured);
  return r;
}

json tool_error(const std::string& message) { return text_result(message, nullptr, true); }

const json kNullableInt = {{"type", json::array({"integer", "null"})}};
const json kNullableString = {{"type", json::array({"string", "null"})}};

json hit_schema() {
  return {{"type", "object"},
          {"properties",
           {{"chunk_id", {{"type", "integer"}}},
            {"path", {{"type", "string"}}},
            {"rel_path", {{"type", "string"}}},
            {"title", {{"type", "string"}}},
            {"type", {{"type", "string"}}},
            {"heading", {{"type", "string"}}},
            {"page_start", kNullableInt},
            {"page_end", kNullableInt},
            {"line_start", kNullableInt},
            {"line_end", kNullableInt},
            {"score", {{"type", "number"}}},
            {"snippet", {{"type", "string"}}},
            {"text", {{"type", "string"}}}}},
          {"required", {"chunk_id", "path", "text"}}};
}

json filter_props() {
  return {{"path",
           {{"type", "string"},
            {"description", "Only documents whose path matches this glob, e.g. '*/notes/*.md'"}}},
          {"type",
           {{"type", "string"},
            {"enum", {"markdown", "text", "html", "pdf"}},
            {"description", "Only documents of this type"}}}};
}

json tool_defs(bool with_ask) {
  json search_in = {{"type", "object"},
                    {"properties",
                     {{"query",
                       {{"type", "string"},
                        {"description",
                         "What to look for: natural language or keywords; \"quoted phrase\" and "
                         "prefix* work"}}},
                      {"k",
                       {{"type", "integer"},
                        {"minimum", 1},
                        {"maximum", 50},
                        {"default", 10},
                        {"description", "How many passages to return"}}},
                      {"mode",
                       {{"type", "string"},
                        {"enum", {"lexical", "semantic", "hybrid"}},
                        {"description", "Ranking: words, meaning, or both (default: the best "
                                        "the library supports)"}}}}},
                    {"required", {"query"}}};
  search_in["properties"].update(filter_props());
  json search_out = {{"type", "object"},
                     {"properties",
                      {{"query", {{"type", "string"}}},
                       {"mode", kNullableString},
                       {"note", kNullableString},
                       {"results", {{"type", "array"}, {"items", hit_schema()}}}}},
                     {"required", {"results"}}};
  json get_in = {
      {"type", "object"},
      {"properties",
       {{"chunk_id",
         {{"type", "integer"},
          {"description", "A passage id: the chunk_id of a search result"}}},
        {"neighbours",
         {{"type", "integer"},
          {"minimum", 0},
          {"maximum", 10},
          {"default", 1},
          {"description", "Passages of the same document to include before and after"}}}}},
      {"required", {"chunk_id"}}};
  json get_out = {{"type", "object"},
                  {"properties",
                   {{"passage", hit_schema()},
                    {"before", {{"type", "array"}, {"items", hit_schema()}}},
                    {"after", {{"type", "array"}, {"items", hit_schema()}}}}},
                  {"required", {"passage"}}};
  json status_out = {{"type", "object"},
                     {"properties",
                      {{"documents", {{"type", "integer"}}},
                       {"chunks", {{"type", "integer"}}},
                       {"failed", {{"type", "integer"}}}}},
                     {"required", {"documents", "chunks"}}};
  json tools = json::array();
  tools.push_back(
      {{"name", "search"},
       {"title", "Search documents"},
       {"description",
        "Search the user's indexed documents (notes, PDFs, mail, web pages) by meaning and by "
        "words. Returns ranked passages with their file path, page or line span, score and a "
        "snippet; pass a result's chunk_id to `get` for the full passage and its context."},
       {"inputSchema", search_in},
       {"outputSchema", search_out}});
  tools.push_back({{"name", "get"},
                   {"title", "Read a passage"},
                   {"description",
                    "The full text of one passage by chunk_id (from `search`), with neighbouring "
                    "passages of the same document for context."},
                   {"inputSchema", get_in},
                   {"outputSchema", get_out}});
  if (with_ask) {
    json ask_in = {{"type", "object"},
                   {"properties",
                    {{"question", {{"type", "string"}, {"description", "The question"}}},
                     {"k",
                      {{"type", "integer"},
                       {"minimum", 1},
                       {"maximum", 20},
                       {"default", 8},
                       {"description", "Passages to give the answer model at most"}}},
                     {"strict",
                      {{"type", "boolean"},
                       {"default", false},
                       {"description",
                        "Keep only the sentences the sources support; when none is, the answer "
                        "says the documents do not say"}}}}},
                   {"required", {"question"}}};
    ask_in["properties"].update(filter_props());
    tools.push_back(
        {{"name", "ask"},
         {"title", "Answer from documents"},
         {"description",
          "Answer a question from the user's documents with the local answer model. Every "
          "claim cites its source as [n]; the sources list gives each n's path and span. Each "
          "sentence is checked against the passage it cites: structuredContent.sentences holds "
          "its verdict (supported, unsupported with a kind and reason, or uncited) and the "
          "quoted evidence, and the text lists the sentences that are not supported. Says so "
          "when the documents do not contain an answer."},
         {"inputSchema", ask_in}});
  }
  tools.push_back({{"name", "status"},
                   {"title", "Library status"},
                   {"description",
                    "What the library holds: documents and passages by source and type, failed "
                    "files, the last index run, and which models are configured."},
                   {"inputSchema", {{"type", "object"}, {"properties", json::object()}}},
                   {"outputSchema", status_out}});
  return tools;
}

std::string location(const json& h) {
  std::string s = h.value("path", "");
  if (h["page_start"].is_number()) {
    s += ", p. " + std::to_string(h["page_start"].get<int>());
    if (h["page_end"].is_number() && h["page_end"].get<int>() > h["page_start"].get<int>())
      s += "-" + std::to_string(h["page_end"].get<int>());
  } else if (h["line_start"].is_number()) {
    s += ", lines " + std::to_string(h["line_start"].get<int>()) + "-" +
         std::to_string(h["line_end"].is_number() ? h["line_end"].get<int>()
                                                  : h["line_start"].get<int>());
  }
  return s;
}

// A sentence as the answer shows it, marked when the verifier did not find it
// supported: "… [unsupported: wrong-number — the source says 30 days]", "… [uncited]".
std::string marked_sentence(const answer::SentenceCheck& s) {
  if (s.verdict == answer::Verdict::kSupported) return s.text;
  std::string mark = s.verdict == answer::Verdict::kUncited
                         ? "uncited"
                         : "unsupported: " + std::string(answer::kind_name(s.kind));
  if (!s.reason.empty()) mark += " \u2014 " + s.reason;
  return s.text + " [" + mark + "]";
}

// The ask tool's text: the answer, what the verifier found, the sources.
std::string ask_text(const json& body) {
  std::string text = body["answer"].get<std::string>() + "\n";
  if (body.contains("sentences")) {
    const int supported = body["supported"].get<int>(), total = body["total"].get<int>();
    text += "\nChecked against the sources: " + std::to_string(supported) + " of " +
            std::to_string(total) + (total == 1 ? " sentence" : " sentences") + " supported.\n";
    for (const auto& s : body["sentences"]) {
      const std::string verdict = s["verdict"].get<std::string>();
      if (verdict == "supported") continue;
      text += "- " + verdict + (s["kind"].is_string() ? " (" + s["kind"].get<std::string>() + ")" : "") +
              (s["shown"].get<bool>() ? "" : ", left out") + ": " + s["text"].get<std::string>();
      if (s.contains("reason")) text += " \u2014 " + s["reason"].get<std::string>();
      text += "\n";
    }
  }
  text += "\nSources:\n";
  for (const auto& s : body["sources"]) {
    text += "[" + std::to_string(s["n"].get<int>()) + "] " + location(s) + " (chunk_id " +
            std::to_string(s["chunk_id"].get<int64_t>()) + ")\n";
  }
  return text;
}

index::SearchFilters filters_from(const json& a) {
  index::SearchFilters f;
  f.path_glob = a.value("path", "");
  f.type = a.value("type", "");
  return f;
}

std::string require_string(const json& a, const char* key) {
  if (!a.contains(key) || !a[key].is_string())
    throw RpcError{kInvalidParams, std::string("missing string argument '") + key + "'"};
  return a[key].get<std::string>();
}

int int_arg(const json& a, const char* key, int def) {
  if (!a.contains(key) || a[key].is_null()) return def;
  if (!a[key].is_number_integer())
    throw RpcError{kInvalidParams, std::string("argument '") + key + "' must be an integer"};
  return a[key].get<int>();
}

}  // namespace

const std::vector<std::string>& mcp_protocol_versions() {
  static const std::vector<std::string> v = {"2025-06-18", "2025-03-26", "2024-11-05"};
  return v;
}

std::optional<json> McpServer::handle_text(const std::string& text, const Notify& notify) {
  json msg = json::parse(text, nullptr, false);
  if (msg.is_discarded()) return error_reply(nullptr, kParseError, "parse error: not JSON");
  return handle(msg, notify);
}

std::optional<json> McpServer::handle(const json& msg, const Notify& notify) {
  if (!msg.is_array()) return handle_one(msg, notify);
  if (msg.empty()) return error_reply(nullptr, kInvalidRequest, "empty batch");
  json replies = json::array();
  for (const auto& m : msg)
    if (auto r = handle_one(m, notify)) replies.push_back(std::move(*r));
  if (replies.empty()) return std::nullopt;
  return replies;
}

std::optional<json> McpServer::handle_one(const json& msg, const Notify& notify) {
  if (!msg.is_object() || msg.value("jsonrpc", "") != "2.0" || !msg.contains("method") ||
      !msg["method"].is_string()) {
    // A response from the client (to a request we never send) is ignored.
    if (msg.is_object() && (msg.contains("result") || msg.contains("error"))) return std::nullopt;
    return error_reply(msg.is_object() && msg.contains("id") ? msg["id"] : json(nullptr),
                       kInvalidRequest, "not a JSON-RPC 2.0 request");
  }
  const bool is_request = msg.contains("id");
  const json id = is_request ? msg["id"] : json(nullptr);
  const std::string method = msg["method"].get<std::string>();
  const json params = msg.contains("params") ? msg["params"] : json::object();
  try {
    json result = dispatch(method, params, notify);
    if (!is_request) return std::nullopt;
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  } catch (const RpcError& e) {
    if (!is_request) return std::nullopt;
    return error_reply(id, e.code, e.message);
  } catch (const json::exception& e) {
    if (!is_request) return std::nullopt;
    return error_reply(id, kInvalidParams, std::string("invalid params: ") + e.what());
  }
}

json McpServer::dispatch(const std::string& method, const json& params, const Notify& notify) {
  if (method == "initialize") return initialize(params);
  if (method == "ping") return json::object();
  if (method.rfind("notifications/", 0) == 0) return json::object();
  if (method == "tools/list") return tools_list();
  if (method == "tools/call") return tools_call(params, notify);
  if (method == "resources/list") return resources_list(params);
  if (method == "resources/read") return resources_read(params);
  if (method == "resources/templates/list") {
    return {{"resourceTemplates",
             json::array({{{"uriTemplate", std::string(kDocScheme) + "{id}"},
                           {"name", "document"},
                           {"title", "An indexed document"},
                           {"description", "The passages of one indexed document, in order"},
                           {"mimeType", "text/plain"}}})}};
  }
  throw RpcError{kMethodNotFound, "method not found: " + method};
}

json McpServer::initialize(const json& params) {
  const std::string asked = params.value("protocolVersion", "");
  const auto& ours = mcp_protocol_versions();
  const bool known = std::find(ours.begin(), ours.end(), asked) != ours.end();
  return {{"protocolVersion", known ? asked : ours.front()},
          {"capabilities",
           {{"tools", {{"listChanged", false}}},
            {"resources", {{"listChanged", false}, {"subscribe", false}}}}},
          {"serverInfo", {{"name", "trove"}, {"title", "trove"}, {"version", "0.1.0"}}},
          {"instructions",
           "trove searches the user's own documents offline. Use `search` to find passages, "
           "`get` with a chunk_id to read one in full with its context, and cite the path and "
           "page or lines you used."}};
}

json McpServer::tools_list() { return {{"tools", tool_defs(service_.answer_model_configured())}}; }

json McpServer::tools_call(const json& params, const Notify& notify) {
  const std::string name = require_string(params, "name");
  const json args = params.contains("arguments") && params["arguments"].is_object()
                        ? params["arguments"]
                        : json::object();
  json token = nullptr;
  if (params.contains("_meta") && params["_meta"].is_object() &&
      params["_meta"].contains("progressToken"))
    token = params["_meta"]["progressToken"];
  try {
    if (name == "search") return tool_search(args);
    if (name == "get") return tool_get(args);
    if (name == "status") return tool_status();
    if (name == "ask") {
      if (!service_.answer_model_configured()) {
        return tool_error(
            "no answer model is configured: add one with `trove models pull "
            "qwen2.5-0.5b-instruct`, or use `search` and `get`");
      }
      return tool_ask(args, token, notify);
    }
  } catch (const RpcError& e) {
    if (e.code == kInvalidParams) return tool_error(e.message);  // the model can fix its call
    throw;
  }
  throw RpcError{kInvalidParams, "unknown tool: " + name};
}

json McpServer::tool_search(const json& a) {
  SearchRequest r;
  r.query = require_string(a, "query");
  r.k = int_arg(a, "k", 10);
  r.mode = a.value("mode", "");
  r.filters = filters_from(a);
  Outcome o = service_.search(r);
  if (!o.ok()) return tool_error(o.body.value("error", "search failed"));
  std::string text;
  const json& results = o.body["results"];
  if (results.empty()) text = "No passage matches \"" + r.query + "\".";
  int n = 0;
  for (const auto& h : results) {
    char score[32];
    std::snprintf(score, sizeof score, "%.3f", h["score"].get<double>());
    text += std::to_string(++n) + ". " + location(h) + "  [score " + score + ", chunk_id " +
            std::to_string(h["chunk_id"].get<int64_t>()) + "]\n";
    if (!h["heading"].get<std::string>().empty())
      text += "   " + h["heading"].get<std::string>() + "\n";
    text += "   " + h["snippet"].get<std::string>() + "\n";
  }
  if (o.body["note"].is_string()) text += "\n(" + o.body["note"].get<std::string>() + ")";
  return text_result(text, o.body, false);
}

json McpServer::tool_get(const json& a) {
  if (!a.contains("chunk_id") || !a["chunk_id"].is_number_integer())
    throw RpcError{kInvalidParams, "missing integer argument 'chunk_id'"};
  Outcome o = service_.passage(a["chunk_id"].get<int64_t>(), int_arg(a, "neighbours", 1));
  if (!o.ok()) return tool_error(o.body.value("error", "get failed"));
  std::string text;
  for (const auto& h : o.body["before"]) text += h["text"].get<std::string>() + "\n\n";
  const json& p = o.body["passage"];
  text += "## " + location(p) + " (chunk_id " + std::to_string(p["chunk_id"].get<int64_t>()) +
          ")\n\n" + p["text"].get<std::string>() + "\n";
  for (const auto& h : o.body["after"]) text += "\n" + h["text"].get<std::string>() + "\n";
  return text_result(text, o.body, false);
}

json McpServer::tool_status() {
  Outcome o = service_.status();
  if (!o.ok()) return tool_error(o.body.value("error", "status failed"));
  std::string text = std::to_string(o.body.value("documents", 0)) + " documents, " +
                     std::to_string(o.body.value("chunks", 0)) + " passages, " +
                     std::to_string(o.body.value("failed", 0)) + " failed; library " +
                     o.body.value("home", "") + "\n";
  if (o.body.contains("note")) text += o.body["note"].get<std::string>() + "\n";
  return text_result(text, o.body, false);
}

json McpServer::tool_ask(const json& a, const json& token, const Notify& notify) {
  AskRequest r;
  r.question = require_string(a, "question");
  r.k = int_arg(a, "k", 8);
  r.filters = filters_from(a);
  r.strict = a.contains("strict") && a["strict"].is_boolean() && a["strict"].get<bool>();
  int progress = 0;
  auto send = [&](const std::string& message) {
    if (token.is_null() || !notify) return;
    notify({{"jsonrpc", "2.0"},
            {"method", "notifications/progress"},
            {"params", {{"progressToken", token}, {"progress", ++progress}, {"message", message}}}});
  };
  auto on_retrieved = [&](const answer::Answer& so_far) {
    send("found " + std::to_string(so_far.sources.size()) + " relevant passages; answering");
  };
  // One notification per checked sentence: the answer as it is written, each
  // sentence with its verdict (strict: only the sentences kept).
  auto on_sentence = [&](const answer::SentenceCheck& s, bool kept) {
    if (kept) send(marked_sentence(s));
  };
  Outcome o = service_.ask(r, {}, on_retrieved, on_sentence);
  if (!o.ok()) return tool_error(o.body.value("error", "ask failed"));
  return text_result(ask_text(o.body), o.body, false);
}

json McpServer::resources_list(const json& params) {
  int64_t after = 0;
  if (params.contains("cursor") && params["cursor"].is_string()) {
    const std::string c = params["cursor"].get<std::string>();
    char* end = nullptr;
    after = std::strtoll(c.c_str(), &end, 10);
    if (c.empty() || *end != '\0' || after < 0) throw RpcError{kInvalidParams, "bad cursor"};
  }
  Outcome o = service_.documents(after, kResourcePage);
  if (!o.ok()) throw RpcError{-32603, o.body.value("error", "listing failed")};
  json resources = json::array();
  int64_t last = after;
  for (const auto& d : o.body["documents"]) {
    last = d["id"].get<int64_t>();
    const std::string title = d["title"].get<std::string>();
    resources.push_back({{"uri", kDocScheme + std::to_string(last)},
                         {"name", d["rel_path"].get<std::string>()},
                         {"title", title.empty() ? d["rel_path"].get<std::string>() : title},
                         {"description", d["path"].get<std::string>() + " (" +
                                             d["type"].get<std::string>() + ")"},
                         {"mimeType", "text/plain"}});
  }
  json r = {{"resources", std::move(resources)}};
  if (static_cast<int>(r["resources"].size()) == kResourcePage) r["nextCursor"] = std::to_string(last);
  return r;
}

json McpServer::resources_read(const json& params) {
  const std::string uri = require_string(params, "uri");
  const std::string scheme = kDocScheme;
  int64_t id = 0;
  if (uri.compare(0, scheme.size(), scheme) == 0) {
    const std::string rest = uri.substr(scheme.size());
    char* end = nullptr;
    id = std::strtoll(rest.c_str(), &end, 10);
    if (rest.empty() || *end != '\0') id = 0;
  }
  if (id <= 0) throw RpcError{kResourceNotFound, "resource not found: " + uri};
  Outcome o = service_.document("", id, 0);
  if (!o.ok()) throw RpcError{kResourceNotFound, "resource not found: " + uri};
  std::string text = "# " + o.body["path"].get<std::string>() + "\n";
  for (const auto& h : o.body["passages"]) {
    text += "\n[" + location(h) + ", chunk_id " + std::to_string(h["chunk_id"].get<int64_t>()) +
            "]\n" + h["text"].get<std::string>() + "\n";
  }
  return {{"contents", json::array({{{"uri", uri}, {"mimeType", "text/plain"}, {"text", text}}})}};
}

}  // namespace trove::serve
