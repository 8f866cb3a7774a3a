// tests/faults/mmap_sigbus_test.cc — issue 15, fault 2: a model file truncated while
// mapped killed trove with SIGBUS. Reading a lost page must end with a clear error
// naming the file (exit status 6,
// the command line's "model problem"), not a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/mmap_file.h"

namespace trove {
namespace {

namespace fs = std::filesystem;

void map_truncate_and_read(const std::string& path) {
  auto m = MmapFile::open(path);
  if (!m.ok()) std::_Exit(3);
  if (::truncate(path.c_str(), 4096) != 0) std::_Exit(4);
  volatile uint8_t sink = 0;
  for (size_t i = 0; i < m->size(); i += 4096) sink = sink + m->data()[i];
  std::_Exit(5);  // never reached: the pages past 4096 are gone
}

TEST(MmapSigbus, AFileTruncatedWhileMappedIsAClearErrorNamingIt) {
  ::testing::FLAGS_gtest_death_test_style = "threadsafe";
  std::string dir = (fs::temp_directory_path() / "trove-sigbus-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  const std::string path = dir + "/model.gguf";
  std::ofstream(path, std::ios::binary) << std::string(1 << 20, 'x');
  EXPECT_EXIT(map_truncate_and_read(path), ::testing::ExitedWithCode(6),
              "trove: .*/model\\.gguf: the file shrank while trove was reading it");
  fs::remove_all(dir);
}

TEST(MmapSigbus, OtherSigbusSignalsStillKill) {
  ::testing::FLAGS_gtest_death_test_style = "threadsafe";
  std::string dir = (fs::temp_directory_path() / "trove-sigbus-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  const std::string path = dir + "/a.bin";
  std::ofstream(path, std::ios::binary) << std::string(8192, 'x');
  auto m = MmapFile::open(path);  // installs the handler
  ASSERT_TRUE(m.ok());
  EXPECT_EXIT(::raise(SIGBUS), ::testing::KilledBySignal(SIGBUS), "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace trove
