// tests/decoder/json_lite.h — a small JSON reader for the reference .jsonl fixtures
// (objects, arrays, numbers, strings, true/false/null). Test support only: trove's
// library code does not parse JSON.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trove::testing {

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> arr;
  std::map<std::string, Json, std::less<>> obj;

  const Json& operator[](std::string_view key) const;  // asserts the key exists
  const Json& operator[](size_t i) const { return arr.at(i); }
  bool has(std::string_view key) const { return obj.find(key) != obj.end(); }
  size_t size() const { return arr.size(); }
  std::vector<float> floats() const;
  std::vector<int32_t> ints() const;
};

// nullopt on malformed input.
std::optional<Json> parse_json(std::string_view text);

// Every non-empty line of a .jsonl file; empty when the file cannot be read.
std::vector<Json> read_jsonl(const std::string& path);

}  // namespace trove::testing
