// tests/serve/security_test.cc — who may talk to the servers (serve/security.h).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "../cli/run_process.h"
#include "serve/security.h"

namespace trove::serve {
namespace {

TEST(Security, LoopbackAddresses) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"})
    EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"0.0.0.0", "::", "192.168.1.4", "10.0.0.1", "example.com", "128.0.0.1", ""})
    EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(Security, HostHeaderMustNameThisServer) {
  AccessPolicy p{"127.0.0.1", 8765, "", {}};
  for (const char* h : {"127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LocalHost:8765"})
    EXPECT_TRUE(host_allowed(p, h)) << h;
  for (const char* h : {"evil.example:8765", "evil.example", "127.0.0.1:8766", "127.0.0.1",
                        "localhost:80", "", "127.0.0.1:87x5", "[::1", "127.0.0.1.evil.example:8765"})
    EXPECT_FALSE(host_allowed(p, h)) << h;
  p.extra_hosts = {"notes.lan"};
  EXPECT_TRUE(host_allowed(p, "notes.lan:8765"));
}

TEST(Security, WildcardBindWithTokenAcceptsAnyHost) {
  AccessPolicy p{"0.0.0.0", 8765, "s3cret", {}};
  EXPECT_TRUE(host_allowed(p, "192.168.1.4:8765"));
  p.token.clear();  // never reached in practice: the command refuses to start
  EXPECT_FALSE(host_allowed(p, "192.168.1.4:8765"));
}

TEST(Security, OriginMustBeOurOwn) {
  AccessPolicy p{"127.0.0.1", 8765, "", {}};
  EXPECT_TRUE(origin_allowed(p, ""));
  EXPECT_TRUE(origin_allowed(p, "http://127.0.0.1:8765"));
  EXPECT_TRUE(origin_allowed(p, "http://localhost:8765"));
  for (const char* o : {"null", "http://evil.example", "https://127.0.0.1:8765",
                        "http://127.0.0.1:9999", "file://"})
    EXPECT_FALSE(origin_allowed(p, o)) << o;
}

TEST(Security, BearerToken) {
  AccessPolicy none{"127.0.0.1", 1, "", {}};
  EXPECT_TRUE(bearer_ok(none, ""));
  AccessPolicy p{"127.0.0.1", 1, "s3cret", {}};
  EXPECT_TRUE(bearer_ok(p, "Bearer s3cret"));
  for (const char* a : {"", "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cret2", "bearer s3cret",
                        "Basic s3cret", "Bearer S3cret"})
    EXPECT_FALSE(bearer_ok(p, a)) << a;
}

TEST(Security, TokenFileMustBePrivate) {
  trove::testing::TempDir d;
  const std::string f = d.path() + "/token";
  std::ofstream(f) << "  abc123\n";
  ::chmod(f.c_str(), 0644);
  auto open = read_token_file(f);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.error().message.find("chmod 600"), std::string::npos) << open.error().message;
  ::chmod(f.c_str(), 0600);
  auto ok = read_token_file(f);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*ok, "abc123");
  std::ofstream(f, std::ios::trunc) << "\n";
  EXPECT_FALSE(read_token_file(f).ok());
  EXPECT_FALSE(read_token_file(d.path() + "/missing").ok());
}

}  // namespace
}  // namespace trove::serve
