// tests/embed/make_encoder_fixture.cc — writes one fixture of encoder_fixtures.h, for
// tests/data/rerank/make_refs.sh (llama.cpp computes the references on it).
//   make_encoder_fixture bert-rerank|xlmr-rerank|xlmr-embed f32|f16|q8_0 OUT
#include <cstdio>
#include <string>

#include "encoder_fixtures.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: make_encoder_fixture KIND f32|f16|q8_0 OUT\n");
    return 2;
  }
  const std::string t = argv[2];
  const trove::GgmlType type = t == "f32"   ? trove::GgmlType::kF32
                               : t == "f16" ? trove::GgmlType::kF16
                                            : trove::GgmlType::kQ8_0;
  const trove::Status s =
      trove::test::write_encoder_fixture(argv[1], type, TROVE_SOURCE_DIR, argv[3]);
  if (!s.ok()) {
    std::fprintf(stderr, "make_encoder_fixture: %s\n", s.error().message.c_str());
    return 1;
  }
  return 0;
}
