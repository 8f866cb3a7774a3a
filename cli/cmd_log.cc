// cli/cmd_log.cc — `trove log [--json] [-n N]`, `trove log --replay ID`, `trove log
// --clear`: the provenance log of every ask (and `search --log`), answer/provenance.h.
//
// The list is newest last, one line a record: id, time, command, supported/total,
// model, question. --json: {"records": [...the records as logged...], "damaged": k}.
// --replay re-runs a recorded ask on the same chunks and settings: it prints the
// answer, whether it is byte-identical to the recorded one, and the chunks that have
// changed, moved or vanished since, and the replayed sentences' verdicts against the
// chunks as they are now (a test binary replays through the same generator seam as
// ask, cli/cmd_ask_generator.h). Exit: 0 listed / identical, 1 no records / the replay
// differs, 2 usage or an unknown id.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "answer/provenance.h"
#include "cli/cmd_ask_generator.h"
#include "cli/command.h"
#include "cli/term.h"
#include "cli/verdict_format.h"
#include "index/library.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

struct LogArgs {
  bool json = false;
  size_t n = 20;
  std::string replay;
  bool clear = false;
};

int fail(const std::string& msg) {
  std::fprintf(stderr, "trove: log: %s\n", msg.c_str());
  return 2;
}

int list(const index::LibraryPaths& paths, const LogArgs& a, const GlobalOptions& g) {
  auto log = answer::read_log(paths, a.n);
  if (!log.ok()) return fail(log.error().message);
  if (a.json) {
    nlohmann::json out = {{"records", nlohmann::json::array()}, {"damaged", log->damaged}};
    for (const auto& r : log->records) out["records"].push_back(nlohmann::json::parse(r.json));
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    const Style st = Style::for_stream(stdout);
    for (const auto& r : log->records) {
      std::string verdicts = r.total >= 0 ? std::to_string(r.supported) + "/" + std::to_string(r.total) : "-";
      const std::string model = r.answer_model.empty() ? "" : st.dim + r.answer_model + st.reset + "  ";
      std::printf("%s%s%s  %s  %-6s  %5s  %s%s\n", st.bold.c_str(), r.id.c_str(), st.reset.c_str(),
                  r.time.c_str(), r.command.c_str(), verdicts.c_str(), model.c_str(), r.question.c_str());
    }
  }
  if (log->damaged > 0 && !g.quiet) {
    std::fprintf(stderr, "trove: log: skipped %d damaged record%s (a run cut short while writing)\n",
                 log->damaged, log->damaged == 1 ? "" : "s");
  }
  return log->records.empty() ? 1 : 0;
}

int replay(const index::LibraryPaths& paths, const LogArgs& a) {
  answer::ReplayOptions ro;
  ro.generator = ask_text_generator();
  auto r = answer::replay(paths, a.replay, {}, ro);
  if (!r.ok()) return fail(r.error().message);
  const bool generated = r->answer.kind == answer::AnswerKind::kGenerated;
  if (a.json) {
    serve::json changed = serve::json::array();
    for (const auto& c : r->changes) {
      serve::json x = {{"n", c.n}, {"chunk_id", c.chunk_id}, {"path", c.path}, {"status", c.status}};
      if (!c.now_path.empty()) x["now_path"] = c.now_path;
      changed.push_back(std::move(x));
    }
    serve::json j = {{"id", r->id},
                     {"identical", r->identical},
                     {"prompt_identical", r->prompt_identical},
                     {"model_changed", r->model_changed},
                     {"recorded", r->recorded},
                     {"replayed", r->replayed},
                     {"changed_chunks", std::move(changed)}};
    if (r->recorded_total >= 0) {
      j["recorded_supported"] = r->recorded_supported;
      j["recorded_total"] = r->recorded_total;
    }
    // The replayed answer's verdicts, against the chunks as they are now.
    if (generated) j.update(serve::verification_json(r->answer.verification));
    std::printf("%s\n", serve::dump(j).c_str());
  } else {
    const Style st = Style::for_stream(stdout);
    std::printf("%s\n\n", r->replayed.c_str());
    std::printf("%s%s%s\n", st.bold.c_str(),
                r->identical ? "identical to the recorded answer" : "differs from the recorded answer",
                st.reset.c_str());
    if (!r->prompt_identical) std::printf("the prompt differs from the recorded one\n");
    if (r->model_changed) std::printf("the answer model file has changed since (SHA-256 differs)\n");
    for (const auto& c : r->changes) {
      std::printf("source [%lld] %s: chunk %lld %s%s%s\n", static_cast<long long>(c.n), c.path.c_str(),
                  static_cast<long long>(c.chunk_id), c.status.c_str(), c.now_path.empty() ? "" : " to ",
                  c.now_path.c_str());
    }
    if (generated && r->recorded_total >= 0) {
      std::printf("%d of %d sentences supported now (recorded: %d of %d)\n", r->answer.verification.supported,
                  r->answer.verification.total, r->recorded_supported, r->recorded_total);
    }
  }
  return r->identical ? 0 : 1;
}

int run_log(const LogArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  if (a.clear) {
    auto n = answer::clear_log(*paths);
    if (!n.ok()) return fail(n.error().message);
    if (!g.quiet) std::fprintf(stderr, "trove: removed the provenance log (%zu records)\n", *n);
    return 0;
  }
  if (!a.replay.empty()) return replay(*paths, a);
  return list(*paths, a, g);
}

RunFn setup_log(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<LogArgs>();
  CLI::App* cmd = app.add_subcommand("log", "List, replay or clear the provenance log of answers");
  cmd->add_flag("--json", args->json, "Print the records as JSON");
  cmd->add_option("-n", args->n, "Show the last N records (0: all)")->default_val(20);
  auto* rep = cmd->add_option("--replay", args->replay,
                              "Re-run a recorded ask on the same chunks and settings, and compare");
  auto* clr = cmd->add_flag("--clear", args->clear, "Remove the provenance log");
  rep->excludes(clr);
  return [args, &global] { return run_log(*args, global); };
}

}  // namespace

TROVE_REGISTER_COMMAND("log", 46, setup_log);

}  // namespace trove::cli
