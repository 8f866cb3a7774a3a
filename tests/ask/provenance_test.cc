// The provenance log end to end (answer/provenance.h, `trove log`): what a record
// names, that a greedy ask replays byte for byte, and that a replay after an edit
// names the chunk that changed. Runs trove_scripted (tests/ask/scripted_cli.h): with
// a script, generation streams scripted text (the fixture models have random weights
// and never cite); without one, the fixture model decodes for real.
//
// Expected hashes come from coreutils' sha256sum, not from trove's own code.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/ask/scripted_cli.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using nlohmann::json;
using trove::testing::ScriptedRun;
using trove::testing::TempDir;

namespace {

const std::string kBackup = "Snapshots are kept for 30 days and then pruned by the nightly job.";
const std::string kVpn = "The WireGuard tunnel listens on port 51820.";
const std::string kBoth = "how long are snapshots kept and which port does the WireGuard tunnel listen on";

// sha256sum of a file, as hex.
std::string sha256sum(const std::string& path) {
  const std::string cmd = "sha256sum '" + path + "'";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return "";
  char buf[65] = {};
  const size_t n = std::fread(buf, 1, 64, p);
  ::pclose(p);
  return std::string(buf, n);
}

class ProvenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() + "/home";
    docs_ = dir_.path() + "/notes";
    fs::create_directories(docs_);
    write_doc("backup.md", "# Backups\n\n" + kBackup + "\n");
    write_doc("vpn.md", "# VPN\n\n" + kVpn + "\n");
    index();
  }

  void write_doc(const std::string& name, const std::string& text) {
    std::ofstream(docs_ + "/" + name, std::ios::binary) << text;
  }

  void index() {
    ScriptedRun r = run({"index", docs_, "--quiet"});
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  ScriptedRun run(const std::vector<std::string>& args, const std::string& script = "",
                  const std::string& prompt_out = "") {
    return trove::testing::run_scripted(dir_.path(), home_, args, script, prompt_out);
  }

  json parse(const ScriptedRun& r) {
    try {
      return json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\n" << r.out << r.err;
      return json::object();
    }
  }

  json ask(const std::vector<std::string>& extra, const std::string& question, const std::string& script,
           const std::string& prompt_out = "") {
    std::vector<std::string> args = {"ask", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(question);
    ScriptedRun r = run(args, script, prompt_out);
    EXPECT_EQ(r.rc, 0) << r.err;
    return parse(r);
  }

  json log_records(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"log", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    ScriptedRun r = run(args);
    EXPECT_EQ(r.rc, 0) << r.err;
    return parse(r);
  }

  // The source number (1-based) of the passage from `file` in an ask's JSON.
  static int source_of(const json& d, const std::string& file) {
    for (size_t i = 0; i < d["sources"].size(); ++i)
      if (fs::path(d["sources"][i]["path"].get<std::string>()).filename() == file) return static_cast<int>(i + 1);
    return 0;
  }

  TempDir dir_;
  std::string home_, docs_;
  std::string model_ = trove::testing::fixture_model("qwen2-bpe-q4_k_m.gguf");
};

TEST_F(ProvenanceTest, LogNamesTheAnswerModelFileTheQuestionAndWhatTheAnswerWasBuiltFrom) {
  const std::string prompt_path = dir_.path() + "/prompt";
  json d = ask({"--model", model_}, kBoth, "Snapshots are kept for 30 days [2]. The tunnel uses port 51820 [1].",
               prompt_path);
  ASSERT_TRUE(d.contains("log_id")) << d.dump();
  ASSERT_EQ(d["sources"].size(), 2u) << d.dump();

  json log = log_records({"-n", "1"});
  ASSERT_EQ(log["records"].size(), 1u) << log.dump();
  EXPECT_EQ(log["damaged"], 0);
  const json& r = log["records"][0];
  EXPECT_EQ(r["id"], d["log_id"]);
  EXPECT_EQ(r["command"], "ask");
  EXPECT_EQ(r["question"], kBoth);
  ASSERT_TRUE(r["answer_model"].is_object()) << r.dump();
  EXPECT_EQ(r["answer_model"]["sha256"], sha256sum(model_));
  EXPECT_EQ(r["answer_model"]["path"], model_);
  // The prompt's hash is of the prompt the generator was given.
  EXPECT_EQ(r["prompt_sha256"], sha256sum(prompt_path));
  // Every chunk in the prompt, numbered as cited, with the hash of its text.
  ASSERT_EQ(r["chunks"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const json& c = r["chunks"][i];
    EXPECT_EQ(c["n"], i + 1);
    EXPECT_EQ(c["path"], d["sources"][i]["path"]);
    EXPECT_GT(c["chunk_id"].get<int64_t>(), 0);
    const std::string text_file = dir_.path() + "/chunk";
    std::ofstream(text_file, std::ios::binary) << d["sources"][i]["text"].get<std::string>();
    EXPECT_EQ(c["sha256"], sha256sum(text_file));
  }
  EXPECT_EQ(r["retrieval"]["mode"], "lexical");
  EXPECT_EQ(r["retrieval"]["k"], 8);
  EXPECT_EQ(r["sampler"]["temperature"], 0.0);
  EXPECT_EQ(r["sampler"]["seed"], 0);
  // The answer and the verifier's verdicts, as ask reported them.
  EXPECT_EQ(r["answer"], d["answer"]);
  EXPECT_EQ(r["generated"], d["generated"]);
  ASSERT_EQ(r["verdicts"].size(), d["sentences"].size());
  for (size_t i = 0; i < r["verdicts"].size(); ++i) {
    EXPECT_EQ(r["verdicts"][i]["verdict"], d["sentences"][i]["verdict"]);
    EXPECT_EQ(r["verdicts"][i]["citations"], d["sentences"][i]["citations"]);
  }
  EXPECT_EQ(r["supported"], d["supported"]);
  EXPECT_EQ(r["total"], 2);

  // The log is private, and -n 1 is the newest record.
  struct stat st {};
  ASSERT_EQ(::stat((home_ + "/provenance.jsonl").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  json d2 = ask({"--model", model_}, "which port does the tunnel listen on", "It listens on port 51820 [1].");
  json last = log_records({"-n", "1"});
  ASSERT_EQ(last["records"].size(), 1u);
  EXPECT_EQ(last["records"][0]["id"], d2["log_id"]);
  EXPECT_EQ(last["records"][0]["question"], "which port does the tunnel listen on");
  json all = log_records();
  ASSERT_EQ(all["records"].size(), 2u);
  EXPECT_EQ(all["records"][0]["id"], d["log_id"]);  // oldest first

  ScriptedRun human = run({"log"});
  EXPECT_EQ(human.rc, 0) << human.err;
  EXPECT_EQ(trove::testing::lines_of(human.out).size(), 2u) << human.out;
  EXPECT_NE(human.out.find(d["log_id"].get<std::string>()), std::string::npos) << human.out;
  EXPECT_NE(human.out.find(kBoth), std::string::npos) << human.out;
}

TEST_F(ProvenanceTest, ReplayOfAGreedyAskIsByteIdentical) {
  // A real decode: the fixture's output is gibberish, but it is the model's.
  const std::string model = trove::testing::fixture_model("llama-spm-q4_k_m.gguf");
  json d = ask({"--model", model, "--max-tokens", "24", "--threads", "1"}, kBoth, "");
  const std::string generated = d["generated"].get<std::string>();
  ASSERT_NE(generated.find_first_not_of(" \n\t"), std::string::npos) << "blank output proves nothing";
  const std::string id = d["log_id"];

  // Replayed with the default thread count: greedy output must not depend on it.
  ScriptedRun r = run({"log", "--replay", id, "--json"});
  EXPECT_EQ(r.rc, 0) << r.out << r.err;
  json rep = parse(r);
  EXPECT_EQ(rep["id"], id);
  EXPECT_TRUE(rep["identical"].get<bool>()) << rep.dump();
  EXPECT_TRUE(rep["prompt_identical"].get<bool>());
  EXPECT_FALSE(rep["model_changed"].get<bool>());
  EXPECT_EQ(rep["recorded"], generated);
  EXPECT_EQ(rep["replayed"], generated);
  EXPECT_EQ(rep["changed_chunks"], json::array());

  // A unique prefix of the id is enough.
  ScriptedRun human = run({"log", "--replay", id.substr(0, 6)});
  EXPECT_EQ(human.rc, 0) << human.err;
  EXPECT_NE(human.out.find("identical to the recorded answer"), std::string::npos) << human.out;
  EXPECT_EQ(human.out.find("differs"), std::string::npos) << human.out;
}

TEST_F(ProvenanceTest, ReplayAfterEditingACitedFileNamesTheChangedChunk) {
  // Which number each file gets: the same retrieval, without a model.
  json order = ask({"--no-llm"}, kBoth, "");
  const int backup = source_of(order, "backup.md"), vpn = source_of(order, "vpn.md");
  ASSERT_TRUE(backup > 0 && vpn > 0) << order.dump();
  const std::string script = "Snapshots are kept for 30 days [" + std::to_string(backup) +
                             "]. The tunnel listens on port 51820 [" + std::to_string(vpn) + "].";
  json d = ask({"--model", model_}, kBoth, script);
  ASSERT_EQ(d["supported"], 2) << d.dump();
  const std::string id = d["log_id"];

  // Unchanged library: nothing to report.
  json same = parse(run({"log", "--replay", id, "--json"}, script));
  EXPECT_TRUE(same["identical"].get<bool>()) << same.dump();
  EXPECT_EQ(same["changed_chunks"], json::array());

  // The retention changes in the cited file; the other file stays as it was.
  write_doc("backup.md", "# Backups\n\nSnapshots are kept for 45 days and then pruned by the nightly job.\n");
  index();
  ScriptedRun r = run({"log", "--replay", id, "--json"}, script);
  json rep = parse(r);
  ASSERT_EQ(rep["changed_chunks"].size(), 1u) << rep.dump();
  const json& c = rep["changed_chunks"][0];
  EXPECT_EQ(c["n"], backup);
  EXPECT_EQ(fs::path(c["path"].get<std::string>()).filename(), "backup.md");
  EXPECT_EQ(c["status"], "changed");
  // The same words, checked against today's text: the 30-day sentence lost its support.
  EXPECT_TRUE(rep["identical"].get<bool>());  // the scripted text is the same
  EXPECT_FALSE(rep["prompt_identical"].get<bool>());
  EXPECT_EQ(rep["recorded_supported"], 2);
  ASSERT_EQ(rep["sentences"].size(), 2u) << rep.dump();
  EXPECT_EQ(rep["sentences"][0]["verdict"], "unsupported");
  EXPECT_EQ(rep["sentences"][0]["kind"], "wrong-number");
  EXPECT_EQ(rep["sentences"][1]["verdict"], "supported");
  EXPECT_EQ(rep["supported"], 1);

  ScriptedRun human = run({"log", "--replay", id}, script);
  const std::string want = "source [" + std::to_string(backup) + "] " + docs_ + "/backup.md: chunk " +
                           std::to_string(c["chunk_id"].get<int64_t>()) + " changed";
  EXPECT_NE(human.out.find(want), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("1 of 2 sentences supported now (recorded: 2 of 2)"), std::string::npos)
      << human.out;
  EXPECT_EQ(human.out.find("vpn.md"), std::string::npos) << human.out;

  // A cited file that is gone: its chunk vanished.
  fs::remove(docs_ + "/vpn.md");
  index();
  json gone = parse(run({"log", "--replay", id, "--json"}, script));
  ASSERT_EQ(gone["changed_chunks"].size(), 2u) << gone.dump();
  for (const json& x : gone["changed_chunks"]) {
    if (x["n"] == vpn) {
      EXPECT_EQ(x["status"], "vanished");
      EXPECT_EQ(fs::path(x["path"].get<std::string>()).filename(), "vpn.md");
    } else {
      EXPECT_EQ(x["status"], "changed");
    }
  }
}

TEST_F(ProvenanceTest, MovedFileKeepsItsChunksAndReplaySaysWhere) {
  json d = ask({"--model", model_}, "which port does the WireGuard tunnel listen on",
               "The tunnel listens on port 51820 [1].");
  ASSERT_EQ(d["supported"], 1) << d.dump();
  fs::create_directories(docs_ + "/net");
  fs::rename(docs_ + "/vpn.md", docs_ + "/net/vpn.md");
  index();
  json rep = parse(run({"log", "--replay", d["log_id"], "--json"}, "The tunnel listens on port 51820 [1]."));
  ASSERT_EQ(rep["changed_chunks"].size(), 1u) << rep.dump();
  EXPECT_EQ(rep["changed_chunks"][0]["status"], "moved");
  EXPECT_EQ(rep["changed_chunks"][0]["now_path"], docs_ + "/net/vpn.md");
  EXPECT_EQ(rep["sentences"][0]["verdict"], "supported");
}

TEST_F(ProvenanceTest, ReplaySaysWhenTheModelFileChangedOrIsGone) {
  const std::string copy = dir_.path() + "/model.gguf";
  fs::copy_file(model_, copy);
  const std::string script = "The tunnel listens on port 51820 [1].";
  json d = ask({"--model", copy}, "which port does the WireGuard tunnel listen on", script);
  const std::string id = d["log_id"];
  json same = parse(run({"log", "--replay", id, "--json"}, script));
  EXPECT_FALSE(same["model_changed"].get<bool>()) << same.dump();

  std::ofstream(copy, std::ios::app | std::ios::binary) << "trailing bytes";  // still loads
  json changed = parse(run({"log", "--replay", id, "--json"}, script));
  EXPECT_TRUE(changed["model_changed"].get<bool>()) << changed.dump();
  ScriptedRun human = run({"log", "--replay", id}, script);
  EXPECT_NE(human.out.find("the answer model file has changed since"), std::string::npos) << human.out;

  fs::remove(copy);
  ScriptedRun gone = run({"log", "--replay", id}, script);
  EXPECT_EQ(gone.rc, 2);
  EXPECT_NE(gone.err.find(copy), std::string::npos) << gone.err;
  EXPECT_NE(gone.err.find("no longer there"), std::string::npos) << gone.err;
}

TEST_F(ProvenanceTest, DamagedRecordIsSkippedAndTheNextStartsOnItsOwnLine) {
  json d = ask({"--model", model_}, "which port does the tunnel listen on", "It listens on port 51820 [1].");
  const std::string log_path = home_ + "/provenance.jsonl";
  // A write cut short by a crash: half a record, no newline.
  const std::string whole = trove::testing::slurp(log_path);
  std::ofstream(log_path, std::ios::app | std::ios::binary) << whole.substr(0, whole.size() / 2);
  json d2 = ask({"--model", model_}, "how long are snapshots kept", "Snapshots are kept for 30 days [1].");

  json all = log_records({"-n", "0"});
  EXPECT_EQ(all["damaged"], 1);
  ASSERT_EQ(all["records"].size(), 2u) << all.dump();
  EXPECT_EQ(all["records"][0]["id"], d["log_id"]);
  EXPECT_EQ(all["records"][1]["id"], d2["log_id"]);
  ScriptedRun human = run({"log"});
  EXPECT_NE(human.err.find("skipped 1 damaged record"), std::string::npos) << human.err;

  ScriptedRun clear = run({"log", "--clear"});
  EXPECT_EQ(clear.rc, 0) << clear.err;
  EXPECT_FALSE(fs::exists(log_path));
  EXPECT_EQ(run({"log"}).rc, 1);  // nothing listed
  EXPECT_EQ(run({"log", "--replay", d2["log_id"]}).rc, 2);
}

TEST_F(ProvenanceTest, SearchWithLogIsRecordedButNotReplayed) {
  ScriptedRun s = run({"search", "--log", "WireGuard tunnel"});
  ASSERT_EQ(s.rc, 0) << s.err;
  ScriptedRun plain = run({"search", "snapshots"});  // without --log: no record
  ASSERT_EQ(plain.rc, 0) << plain.err;
  json all = log_records();
  ASSERT_EQ(all["records"].size(), 1u) << all.dump();
  const json& r = all["records"][0];
  EXPECT_EQ(r["command"], "search");
  EXPECT_EQ(r["question"], "WireGuard tunnel");
  ASSERT_GE(r["chunks"].size(), 1u);
  EXPECT_EQ(fs::path(r["chunks"][0]["path"].get<std::string>()).filename(), "vpn.md");
  const std::string text_file = dir_.path() + "/chunk";
  std::ofstream(text_file, std::ios::binary) << kVpn;
  EXPECT_EQ(r["chunks"][0]["sha256"], sha256sum(text_file));
  ScriptedRun rep = run({"log", "--replay", r["id"]});
  EXPECT_EQ(rep.rc, 2);
  EXPECT_NE(rep.err.find("is a search"), std::string::npos) << rep.err;
}

}  // namespace
