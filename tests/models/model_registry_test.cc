// tests/models/model_registry_test.cc — the registry on fixture models: add with role
// checks, defaults per role, use, remove, persistence through registry.tsv, rejection
// of a damaged registry; describe_model and chat template families on the fixtures.
#include "index/model_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/sha256.h"
#include "index/model_catalog.h"

namespace trove::index {
namespace {

namespace fs = std::filesystem;

const std::string kModels = "../shared/fixtures/models/";

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() /
            ("trove_registry_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(home_);
  }
  void TearDown() override { fs::remove_all(home_); }
  ModelRegistry open() {
    auto r = ModelRegistry::open(home_.string());
    EXPECT_TRUE(r) << r.error().message;
    return std::move(*r);
  }
  fs::path home_;
};

TEST_F(RegistryTest, AddUsePersist) {
  ModelRegistry r = open();
  EXPECT_TRUE(r.entries().empty());
  auto bert = r.add(kModels + "bert-mean-f16.gguf", ModelRole::kEmbed);
  ASSERT_TRUE(bert) << bert.error().message;
  EXPECT_EQ(bert->name, "bert-mean-f16");
  EXPECT_EQ(bert->arch, "bert");
  EXPECT_EQ(bert->dims, 128);  // fixtures README
  EXPECT_EQ(bert->layers, 2);
  EXPECT_EQ(bert->context, 512);
  EXPECT_EQ(bert->size, fs::file_size(kModels + "bert-mean-f16.gguf"));
  EXPECT_EQ(bert->sha256, *sha256_file(kModels + "bert-mean-f16.gguf"));
  EXPECT_TRUE(fs::path(bert->path).is_absolute());
  ASSERT_TRUE(r.add(kModels + "nomic-bert-f16.gguf", ModelRole::kEmbed, "nomic"));
  ASSERT_TRUE(r.add(kModels + "qwen2-bpe-q4_k_m.gguf", ModelRole::kLlm));
  ASSERT_TRUE(r.add(kModels + "qwen3-q4_k_m.gguf", ModelRole::kLlm));
  // First of each role is the default.
  EXPECT_EQ(r.default_for(ModelRole::kEmbed)->name, "bert-mean-f16");
  EXPECT_EQ(r.default_for(ModelRole::kLlm)->name, "qwen2-bpe-q4_k_m");
  ASSERT_TRUE(r.use("nomic"));
  EXPECT_EQ(r.default_for(ModelRole::kEmbed)->name, "nomic");
  EXPECT_EQ(r.default_for(ModelRole::kLlm)->name, "qwen2-bpe-q4_k_m");  // other role untouched
  EXPECT_FALSE(r.use("nope"));
  ASSERT_TRUE(r.save());
  EXPECT_TRUE(fs::exists(home_ / "models" / "registry.tsv"));

  ModelRegistry again = open();
  ASSERT_EQ(again.entries().size(), 4u);
  EXPECT_EQ(again.default_for(ModelRole::kEmbed)->name, "nomic");
  const ModelEntry* q3 = again.find("qwen3-q4_k_m");
  ASSERT_NE(q3, nullptr);
  EXPECT_EQ(q3->arch, "qwen3");
  EXPECT_EQ(q3->role, ModelRole::kLlm);
  EXPECT_FALSE(q3->is_default);
  EXPECT_EQ(q3->sha256, r.find("qwen3-q4_k_m")->sha256);

  ASSERT_TRUE(again.remove("nomic"));  // the default goes: another embed model takes over
  EXPECT_EQ(again.default_for(ModelRole::kEmbed)->name, "bert-mean-f16");
}

TEST_F(RegistryTest, RoleMismatchAndBadFiles) {
  ModelRegistry r = open();
  auto wrong = r.add(kModels + "llama-spm-q8_0.gguf", ModelRole::kEmbed);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("not an embedding model"), std::string::npos);
  EXPECT_FALSE(r.add(kModels + "bert-cls-q8_0.gguf", ModelRole::kLlm));
  std::ofstream(home_ / "junk.gguf") << "junk";
  auto junk = r.add((home_ / "junk.gguf").string(), ModelRole::kLlm);
  ASSERT_FALSE(junk);
  EXPECT_NE(junk.error().message.find("junk.gguf"), std::string::npos);
  EXPECT_FALSE(r.add((home_ / "absent.gguf").string(), ModelRole::kLlm));
  EXPECT_TRUE(r.entries().empty());
}

TEST_F(RegistryTest, DamagedRegistryIsReported) {
  fs::create_directories(home_ / "models");
  std::ofstream(home_ / "models" / "registry.tsv") << "# trove models v1\nname\tembed\t1\n";
  auto r = ModelRegistry::open(home_.string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("line 2"), std::string::npos) << r.error().message;
  std::ofstream(home_ / "models" / "registry.tsv") << "# something else\n";
  EXPECT_FALSE(ModelRegistry::open(home_.string()));
}

TEST(ModelInfo, DescribesFixtures) {
  auto q = GgufFile::open(kModels + "qwen2-bpe-q4_k_m.gguf");
  ASSERT_TRUE(q);
  ModelInfo m = describe_model(*q);
  EXPECT_EQ(m.arch, "qwen2");
  EXPECT_EQ(m.dims, 256);
  EXPECT_EQ(m.layers, 2);
  EXPECT_EQ(m.heads, 4);
  EXPECT_EQ(m.kv_heads, 2);
  EXPECT_EQ(m.vocab, 50259);
  EXPECT_EQ(m.tokenizer, "gpt2");
  EXPECT_EQ(m.pre_tokenizer, "qwen2");
  EXPECT_EQ(m.chat_family, "chatml");
  EXPECT_GT(m.tensor_types["q4_K"], 0);
  EXPECT_GT(m.tensor_types["q6_K"], 0);
  int total = 0;
  for (const auto& [t, n] : m.tensor_types) total += n;
  EXPECT_EQ(total, static_cast<int>(q->tensors().size()));
  auto l3 = GgufFile::open(kModels + "llama3-bpe-q4_k_m.gguf");
  ASSERT_TRUE(l3);
  EXPECT_EQ(describe_model(*l3).chat_family, "llama3");
  auto b = GgufFile::open(kModels + "bert-mean-f16.gguf");
  ASSERT_TRUE(b);
  EXPECT_EQ(describe_model(*b).chat_family, "");
}

TEST(ModelInfo, ChatTemplateFamilies) {
  EXPECT_EQ(chat_template_family("{{'<start_of_turn>user\n'}}"), "gemma");
  EXPECT_EQ(chat_template_family("<|user|>{{m}}<|end|>"), "phi3");
  EXPECT_EQ(chat_template_family("[INST] {{m}} [/INST]"), "mistral");
  EXPECT_EQ(chat_template_family("{{ m }}"), "other");
}

TEST(ModelCatalog, NamesAreUniqueAndUrlsUseTheBase) {
  std::set<std::string_view> names;
  for (const CatalogEntry& e : model_catalog()) {
    EXPECT_TRUE(names.insert(e.name).second) << e.name;
    EXPECT_TRUE(e.file.ends_with(".gguf") || e.file.ends_with(".GGUF")) << e.file;
  }
  const CatalogEntry* e = find_catalog_entry("qwen2.5-0.5b-instruct");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->role, ModelRole::kLlm);
  EXPECT_EQ(catalog_url(*e, "http://127.0.0.1:1/"),
            "http://127.0.0.1:1/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/"
            "qwen2.5-0.5b-instruct-q4_k_m.gguf");
  EXPECT_EQ(find_catalog_entry("nope"), nullptr);
}

}  // namespace
}  // namespace trove::index

namespace trove::index {
namespace {

// Issue 11, defect 7: a registered model whose file changed is refused by resolve()
// (the one way to find a model) until verify() accepts it; a missing one says how to
// get it back.
TEST_F(RegistryTest, ResolveRefusesAChangedFileUntilVerified) {
  const fs::path copy = home_ / "copy.gguf";
  fs::copy_file(kModels + "bert-mean-f16.gguf", copy);
  fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write);
  ModelRegistry r = open();
  ASSERT_TRUE(r.add(copy.string(), ModelRole::kEmbed, "copy"));
  ASSERT_TRUE(r.save());
  auto ok = open().resolve("copy", ModelRole::kEmbed);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_TRUE(ok->has_value());
  EXPECT_EQ((*ok)->path, copy.string());
  auto dflt = open().resolve("", ModelRole::kEmbed);
  ASSERT_TRUE(dflt && dflt->has_value());
  EXPECT_EQ((*dflt)->name, "copy");
  EXPECT_FALSE(open().resolve("", ModelRole::kLlm)->has_value());  // none for that role

  // Same size, different bytes: only the hash can tell.
  {
    std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-1, std::ios::end);
    f.put('\x5a');
  }
  auto changed = open().resolve("copy", ModelRole::kEmbed);
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.error().message.find("changed since it was registered"), std::string::npos)
      << changed.error().message;
  EXPECT_NE(changed.error().message.find("trove models verify copy"), std::string::npos);

  ModelRegistry r2 = open();
  auto v = r2.verify("copy");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(v->changed);
  ASSERT_TRUE(r2.save());
  EXPECT_TRUE(open().resolve("copy", ModelRole::kEmbed));

  fs::remove(copy);
  auto missing = open().resolve("copy", ModelRole::kEmbed);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing"), std::string::npos);
  EXPECT_FALSE(open().resolve("no-such", ModelRole::kEmbed));
}

TEST_F(RegistryTest, ReadsVersion1Registries) {
  fs::create_directories(home_ / "models");
  std::ofstream(home_ / "models/registry.tsv")
      << "# trove models v1\nold\tembed\t1\t10\tabc\tbert\t128\t2\t512\t/nowhere/old.gguf\n";
  ModelRegistry r = open();
  ASSERT_EQ(r.entries().size(), 1u);
  EXPECT_EQ(r.entries()[0].mtime_ns, 0);
}

}  // namespace
}  // namespace trove::index
