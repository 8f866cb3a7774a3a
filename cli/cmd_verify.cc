// cli/cmd_verify.cc — `trove verify [--json] [--show-evidence]`: checks every sentence
// of an answer against the sources it cites (answer/verifier.h). Reads one JSON
// object on stdin: {"question", "answer", "sources": [{"n", "label", "text"}]} (the
// format of ../shared/eval/verify-dev.jsonl; "question" and "label" may be left out).
// Needs no library and no model.
// Exit: 0 every sentence supported, 1 some sentence unsupported or uncited, 2 error
// (input that is not such an object: the message says what is wrong and where).
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "answer/verifier.h"
#include "cli/command.h"
#include "cli/term.h"
#include "cli/verdict_format.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

struct VerifyArgs {
  bool json = false;
  bool show_evidence = false;
};

struct VerifyInput {
  std::string question, answer;
  std::vector<answer::SourcePassage> sources;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: verify: %s\n", msg.c_str());
  return 2;
}

// Returns "" or what is wrong with the input.
std::string parse_input(const std::string& text, VerifyInput& in) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return std::string("stdin is not valid JSON (") + e.what() + ")";
  }
  if (!j.is_object()) return "stdin must hold one JSON object with \"answer\" and \"sources\"";
  if (j.contains("question")) {
    if (!j["question"].is_string()) return "\"question\" must be a string";
    in.question = j["question"].get<std::string>();
  }
  if (!j.contains("answer") || !j["answer"].is_string()) return "\"answer\" is missing or not a string";
  in.answer = j["answer"].get<std::string>();
  if (!j.contains("sources") || !j["sources"].is_array()) return "\"sources\" is missing or not an array";
  std::set<int64_t> seen;
  size_t index = 0;
  for (const auto& s : j["sources"]) {
    std::string where = "sources[" + std::to_string(index++) + "]";
    if (!s.is_object()) return where + " is not an object";
    if (!s.contains("n") || !s["n"].is_number_integer()) return where + ": \"n\" is missing or not an integer";
    if (!s.contains("text") || !s["text"].is_string()) return where + ": \"text\" is missing or not a string";
    answer::SourcePassage p;
    p.n = s["n"].get<int64_t>();
    if (!seen.insert(p.n).second) return where + ": source number " + std::to_string(p.n) + " appears twice";
    p.text = s["text"].get<std::string>();
    if (s.contains("label")) {
      if (!s["label"].is_string()) return where + ": \"label\" must be a string";
      p.label = s["label"].get<std::string>();
    }
    in.sources.push_back(std::move(p));
  }
  return "";
}

int run_verify(const VerifyArgs& a) {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) return fail("cannot read stdin");
  VerifyInput in;
  if (std::string err = parse_input(text, in); !err.empty()) return fail(err);
  answer::VerifyReport report = answer::verify_answer(in.question, in.answer, in.sources);
  if (a.json) {
    std::printf("%s\n", serve::dump(serve::versioned(serve::verification_json(report))).c_str());
  } else {
    std::fputs(format_verification_text(report, Style::for_stream(stdout), a.show_evidence).c_str(), stdout);
  }
  return report.supported == report.total ? 0 : 1;
}

RunFn setup_verify(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify", "Check each sentence of an answer against its cited sources (JSON on stdin)");
  cmd->add_flag("--json", args->json, "Print verdicts and evidence as JSON");
  cmd->add_flag("--show-evidence", args->show_evidence, "Quote the evidence under every sentence");
  return [args] { return run_verify(*args); };
}

}  // namespace

TROVE_REGISTER_COMMAND("verify", 45, setup_verify);

}  // namespace trove::cli
