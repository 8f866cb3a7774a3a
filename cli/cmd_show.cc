// cli/cmd_show.cc — `trove show ID`: one passage in full (ids come from search).
// Exit: 0 shown, 1 no such passage, 2 error.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/passage_format.h"
#include "cli/term.h"
#include "index/library.h"
#include "index/library_edit.h"
#include "serve/json_schema.h"

namespace trove::cli {
namespace {

struct ShowArgs {
  int64_t id = 0;
  bool json = false;
};

int fail(const std::string& msg, int code = kExitLibrary) {
  std::fprintf(stderr, "trove: %s\n", msg.c_str());
  return code;
}

int run_show(const ShowArgs& a, const GlobalOptions& g) {
  auto paths = index::resolve_library_paths(g.home);
  if (!paths.ok()) return fail(paths.error().message);
  std::optional<index::SearchHit> hit;
  if (index::library_exists(*paths)) {
    auto db = index::open_library_read_only(*paths);
    if (!db.ok()) return fail(db.error().message);
    auto h = index::load_chunk(*db, a.id);
    if (!h.ok()) return fail(h.error().message);
    hit = std::move(*h);
  }
  if (!hit) {
    std::fprintf(stderr, "trove: no passage with id %lld (ids come from trove search)\n",
                 static_cast<long long>(a.id));
    return 1;
  }
  if (a.json) {
    std::printf("%s\n", serve::dump(serve::versioned(serve::hit_json(*hit, serve::Snippet::kNone))).c_str());
    return 0;
  }
  const Style st = Style::for_stream(stdout);
  std::string span = format_span(*hit);
  std::printf("%s%s%s%s%s\n", st.path.c_str(), hit->path.c_str(), st.reset.c_str(),
              span.empty() ? "" : ":", span.c_str());
  if (!hit->heading.empty()) {
    std::printf("%s%s%s\n", st.heading.c_str(), hit->heading.c_str(), st.reset.c_str());
  }
  std::printf("\n%s\n", hit->text.c_str());
  return 0;
}

RunFn setup_show(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand("show", "Print one passage in full, by its id");
  cmd->fallthrough();
  cmd->add_option("id", args->id, "Passage id (from trove search)")->required();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  return [args, &global] { return run_show(*args, global); };
}

TROVE_REGISTER_COMMAND("show", 50, setup_show);

}  // namespace
}  // namespace trove::cli
