// cli/json.h — a tiny streaming JSON writer for --json output.
//
// Strings are always valid JSON: quotes, backslashes and every control character are
// escaped (\n, \t, … or \u00XX), and invalid UTF-8 (stray continuation bytes,
// truncated or overlong sequences, surrogates, > U+10FFFF) becomes U+FFFD (one per
// bad lead byte and the continuation bytes that follow it). Commas are inserted automatically.
//
//   JsonWriter w;
//   w.begin_object().key("path").value(p).key("score").value(1.5).end_object();
//   puts(w.str().c_str());
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trove::cli {

// Appends `s` as a quoted JSON string to `out`.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
  JsonWriter& value(int64_t v);
  JsonWriter& value(int v) { return value(static_cast<int64_t>(v)); }
  JsonWriter& value(double v);  // non-finite → null
  JsonWriter& value(bool v);
  JsonWriter& null();

  const std::string& str() const { return out_; }

 private:
  void before_value();
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

}  // namespace trove::cli
