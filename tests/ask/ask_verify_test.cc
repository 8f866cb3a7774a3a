// `trove ask` with every sentence checked, end to end. The fixture models have random
// weights and never write "[1]" or "<think>", so these tests run trove_scripted: the
// same CLI whose generation streams a scripted answer (tests/ask/scripted_generator.cc)
// while retrieval, the real fixture model's tokenizer and chat template, the think and
// citation filters, the verifier and the printing all run as in trove.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/gguf.h"
#include "core/gguf_writer.h"
#include "tests/ask/scripted_cli.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using nlohmann::json;
using trove::testing::TempDir;

namespace {

const std::string kPassage = "Snapshots are kept for 30 days and then pruned by the nightly job.";

using AskRun = trove::testing::ScriptedRun;

class AskVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() + "/home";
    docs_ = dir_.path() + "/notes";
    fs::create_directories(docs_);
    std::ofstream(docs_ + "/backup.md") << "# Backups\n\n" << kPassage << "\n";
    std::ofstream(docs_ + "/vpn.md") << "# VPN\n\nThe WireGuard tunnel listens on port 51820.\n";
    AskRun r = run({"index", docs_, "--quiet"}, "");
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  // Runs trove_scripted with `script` as the generated text ("" = decode for real).
  AskRun run(const std::vector<std::string>& args, const std::string& script,
             const std::string& prompt_out = "") {
    return trove::testing::run_scripted(dir_.path(), home_, args, script, prompt_out);
  }

  json ask_json(const std::string& script, std::vector<std::string> extra = {}, int want_rc = 0) {
    std::vector<std::string> args = {"ask", "--json", "--model", model_, "how long are snapshots kept"};
    args.insert(args.end(), extra.begin(), extra.end());
    AskRun r = run(args, script);
    EXPECT_EQ(r.rc, want_rc) << r.err;
    try {
      return json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\n" << r.out << r.err;
      return json::object();
    }
  }

  TempDir dir_;
  std::string home_, docs_;
  std::string model_ = trove::testing::fixture_model("qwen2-bpe-q4_k_m.gguf");
};

// Unicode-character offsets into ASCII text are byte offsets.
void expect_evidence_inside(const json& sentence, const json& sources) {
  ASSERT_FALSE(sentence["evidence"].empty()) << sentence.dump();
  for (const auto& e : sentence["evidence"]) {
    const int64_t n = e["n"].get<int64_t>();
    ASSERT_GE(n, 1);
    ASSERT_LE(n, static_cast<int64_t>(sources.size()));
    const std::string text = sources[n - 1]["text"].get<std::string>();
    const size_t start = e["start"].get<size_t>(), end = e["end"].get<size_t>();
    ASSERT_LT(start, end);
    ASSERT_LE(end, text.size());
    EXPECT_EQ(text.substr(start, end - start), e["quote"].get<std::string>());
  }
}

TEST_F(AskVerifyTest, JsonCarriesVerdictsAndEvidenceInsideTheCitedPassage) {
  json d = ask_json("Snapshots are kept for 30 days [1]. They are kept for 90 days [1]. I like backups.");
  ASSERT_EQ(d["sources"].size(), 1u) << d.dump();  // only backup.md is about snapshots
  EXPECT_EQ(d["sources"][0]["text"], kPassage);
  ASSERT_EQ(d["sentences"].size(), 3u) << d.dump();
  const json& s = d["sentences"];
  EXPECT_EQ(s[0]["verdict"], "supported");
  EXPECT_EQ(s[0]["citations"], json::array({1}));
  expect_evidence_inside(s[0], d["sources"]);
  EXPECT_EQ(s[1]["verdict"], "unsupported");
  EXPECT_EQ(s[1]["kind"], "wrong-number");
  EXPECT_EQ(s[2]["verdict"], "uncited");
  EXPECT_EQ(d["supported"], 1);
  EXPECT_EQ(d["total"], 3);
  // Not strict: everything is shown, and the sentence offsets point into the answer.
  EXPECT_EQ(d["answer"], d["generated"]);
  const std::string answer = d["answer"];
  for (const auto& x : s) {
    EXPECT_TRUE(x["shown"].get<bool>());
    const size_t b = x["start"].get<size_t>(), e = x["end"].get<size_t>();
    EXPECT_EQ(answer.substr(b, e - b), x["text"].get<std::string>());
  }
}

TEST_F(AskVerifyTest, TerminalMarksWhatIsNotSupportedAndQuotesEvidence) {
  AskRun r = run({"ask", "--show-evidence", "--model", model_, "how long are snapshots kept"},
              "Snapshots are kept for 30 days [1]. Snapshots are never pruned [1]. I like backups.");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("Snapshots are kept for 30 days [1]."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[unsupported: negation"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[uncited]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\u201cSnapshots are kept for 30 days"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of 3 sentences supported"), std::string::npos) << r.out;
  // The supported sentence carries no mark.
  const size_t at = r.out.find("Snapshots are kept for 30 days [1].");
  EXPECT_EQ(r.out.substr(at, r.out.find('\n', at) - at), "Snapshots are kept for 30 days [1].");
}

TEST_F(AskVerifyTest, StrictDropsUnsupportedSentences) {
  json d = ask_json("Snapshots are kept for 90 days [1]. Snapshots are kept for 30 days [1]. Backups are fun.",
                    {"--strict"});
  EXPECT_EQ(d["answer"], "Snapshots are kept for 30 days [1].");
  EXPECT_TRUE(d["strict"].get<bool>());
  EXPECT_FALSE(d["abstained"].get<bool>());
  ASSERT_EQ(d["sentences"].size(), 3u);
  EXPECT_FALSE(d["sentences"][0]["shown"].get<bool>());
  EXPECT_TRUE(d["sentences"][1]["shown"].get<bool>());
  EXPECT_FALSE(d["sentences"][2]["shown"].get<bool>());

  AskRun human = run({"ask", "--strict", "--model", model_, "how long are snapshots kept"},
                  "Snapshots are kept for 90 days [1]. Snapshots are kept for 30 days [1].");
  EXPECT_EQ(human.rc, 0) << human.err;
  EXPECT_EQ(human.out.find("90 days"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("Snapshots are kept for 30 days [1]."), std::string::npos) << human.out;
}

TEST_F(AskVerifyTest, StrictAbstainsWhenNothingIsSupported) {
  const std::string script = "Snapshots are kept for 90 days [1]. They are never pruned [1].";
  json d = ask_json(script, {"--strict"}, 1);
  EXPECT_EQ(d["answer"], "The documents do not say.");
  EXPECT_TRUE(d["abstained"].get<bool>());
  EXPECT_EQ(d["supported"], 0);
  ASSERT_GE(d["sources"].size(), 1u);  // the closest passages
  EXPECT_EQ(d["sources"][0]["text"], kPassage);

  AskRun human = run({"ask", "--strict", "--model", model_, "how long are snapshots kept"}, script);
  EXPECT_EQ(human.rc, 1);
  EXPECT_NE(human.out.find("The documents do not say."), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("closest passages"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find(kPassage), std::string::npos) << human.out;
  EXPECT_EQ(human.out.find("90 days"), std::string::npos) << human.out;
}

TEST_F(AskVerifyTest, ThinkBlockIsNeitherShownNorVerifiedNorCited) {
  const std::string script =
      "<think>\nThe user wants the retention. Maybe 90 days [1]? Source [7] says never.\n</think>\n\n"
      "Snapshots are kept for 30 days [1].";
  json d = ask_json(script);
  EXPECT_EQ(d["answer"], "Snapshots are kept for 30 days [1].");
  EXPECT_EQ(d["answer"].get<std::string>().find("think"), std::string::npos);
  ASSERT_EQ(d["sentences"].size(), 1u) << d.dump();
  EXPECT_EQ(d["sentences"][0]["verdict"], "supported");
  EXPECT_EQ(d["citations"], json::array({1}));
  EXPECT_EQ(d["invalid_citations"], json::array());  // the [7] inside <think> was never cited
  EXPECT_NE(d["thinking"].get<std::string>().find("Maybe 90 days"), std::string::npos);

  AskRun plain = run({"ask", "--model", model_, "how long are snapshots kept"}, script);
  ASSERT_EQ(plain.rc, 0) << plain.err;
  EXPECT_EQ(plain.out.find("90 days"), std::string::npos) << plain.out;
  EXPECT_EQ(plain.out.find("think>"), std::string::npos) << plain.out;
  EXPECT_EQ(plain.err.find("[7]"), std::string::npos) << plain.err;
  AskRun shown = run({"ask", "--show-thinking", "--model", model_, "how long are snapshots kept"}, script);
  ASSERT_EQ(shown.rc, 0);
  EXPECT_NE(shown.out.find("Maybe 90 days"), std::string::npos) << shown.out;
  EXPECT_LT(shown.out.find("Maybe 90 days"), shown.out.find("Snapshots are kept for 30 days [1]."));
}

// A copy of the qwen3 fixture (which carries a Qwen2.5-style template) with a chat
// template that has Qwen3's enable_thinking switch.
std::string qwen3_with_thinking_template(const std::string& dir) {
  auto src = trove::GgufFile::open(trove::testing::fixture_model("qwen3-q4_k_m.gguf"));
  EXPECT_TRUE(src.ok()) << src.error().message;
  trove::GgufWriter w;
  w.copy_metadata(*src, "");
  w.set_string("tokenizer.chat_template",
               "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + "
               "message.content + '<|im_end|>' + '\\n' }}{%- endfor %}\n"
               "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}\n"
               "{%- if enable_thinking is defined and enable_thinking is false %}"
               "{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}{%- endif %}");
  for (const trove::GgufTensorInfo& t : src->tensors()) {
    const auto* p = static_cast<const uint8_t*>(t.data);
    std::vector<int64_t> ne(t.ne, t.ne + t.n_dims);
    EXPECT_TRUE(w.add_tensor_bytes(t.name, ne, t.type, std::vector<uint8_t>(p, p + t.nbytes)).ok());
  }
  std::string out = dir + "/qwen3-thinking.gguf";
  EXPECT_TRUE(w.write(out).ok());
  return out;
}

TEST_F(AskVerifyTest, Qwen3TemplateIsRenderedWithThinkingDisabled) {
  const std::string model = qwen3_with_thinking_template(dir_.path());
  const std::string prompt_path = dir_.path() + "/prompt";
  AskRun r = run({"ask", "--json", "--model", model, "how long are snapshots kept"},
              "Snapshots are kept for 30 days [1].", prompt_path);
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string prompt = trove::testing::slurp(prompt_path);
  const std::string tail = "<|im_start|>assistant\n<think>\n\n</think>\n\n";
  ASSERT_GE(prompt.size(), tail.size());
  EXPECT_EQ(prompt.substr(prompt.size() - tail.size()), tail) << prompt;
  EXPECT_NE(prompt.find("how long are snapshots kept"), std::string::npos);
  EXPECT_NE(prompt.find(kPassage), std::string::npos);

  // The fixture's own template has no switch: no think block is added.
  AskRun plain = run({"ask", "--json", "--model", trove::testing::fixture_model("qwen3-q4_k_m.gguf"),
                   "how long are snapshots kept"},
                  "Snapshots are kept for 30 days [1].", prompt_path);
  ASSERT_EQ(plain.rc, 0) << plain.err;
  const std::string p2 = trove::testing::slurp(prompt_path);
  EXPECT_EQ(p2.substr(p2.size() - 22), "<|im_start|>assistant\n");

  // And the real model decodes from that prompt (gibberish, but a clean run).
  AskRun real = run({"ask", "--json", "--max-tokens", "8", "--model", model, "how long are snapshots kept"}, "");
  ASSERT_EQ(real.rc, 0) << real.err;
  EXPECT_EQ(json::parse(real.out)["timings"]["generated_tokens"].get<int>() > 0, true);
}

}  // namespace
