// tests/tokenizers/json_lite.h — just enough JSON to read the reference fixtures
// (objects, arrays, strings with escapes, numbers, literals). Test-only: a malformed
// file fails the test through Json::ok.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trove::testing {

struct Json {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> arr;
  std::map<std::string, Json> obj;

  const Json* get(const std::string& key) const {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &it->second;
  }
  std::vector<int32_t> ints() const {
    std::vector<int32_t> v;
    for (const Json& j : arr) v.push_back(static_cast<int32_t>(j.num));
    return v;
  }
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}
  bool parse(Json& out) {
    ok_ = true;
    value(out);
    ws();
    return ok_ && p_ == s_.size();
  }

 private:
  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t'))
      ++p_;
  }
  bool eat(char c) {
    ws();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  static void put_utf8(std::string& o, uint32_t cp) {
    if (cp < 0x80) {
      o += static_cast<char>(cp);
    } else if (cp < 0x800) {
      o += static_cast<char>(0xC0 | (cp >> 6));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      o += static_cast<char>(0xE0 | (cp >> 12));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      o += static_cast<char>(0xF0 | (cp >> 18));
      o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  uint32_t hex4() {
    if (p_ + 4 > s_.size()) {
      ok_ = false;
      return 0;
    }
    const uint32_t v =
        static_cast<uint32_t>(std::stoul(std::string(s_.substr(p_, 4)), nullptr, 16));
    p_ += 4;
    return v;
  }
  void string(std::string& o) {
    ++p_;  // opening quote
    while (p_ < s_.size() && s_[p_] != '"') {
      char c = s_[p_++];
      if (c != '\\') {
        o += c;
        continue;
      }
      if (p_ >= s_.size()) break;
      c = s_[p_++];
      switch (c) {
        case 'n':
          o += '\n';
          break;
        case 't':
          o += '\t';
          break;
        case 'r':
          o += '\r';
          break;
        case 'b':
          o += '\b';
          break;
        case 'f':
          o += '\f';
          break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && p_ + 1 < s_.size() && s_[p_] == '\\') {
            p_ += 2;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
          }
          put_utf8(o, cp);
          break;
        }
        default:
          o += c;
      }
    }
    if (p_ >= s_.size()) ok_ = false;
    ++p_;
  }
  void value(Json& j) {
    ws();
    if (p_ >= s_.size()) {
      ok_ = false;
      return;
    }
    const char c = s_[p_];
    if (c == '{') {
      j.kind = Json::kObject;
      ++p_;
      if (eat('}')) return;
      do {
        ws();
        std::string key;
        if (p_ >= s_.size() || s_[p_] != '"') {
          ok_ = false;
          return;
        }
        string(key);
        if (!eat(':')) {
          ok_ = false;
          return;
        }
        value(j.obj[key]);
      } while (ok_ && eat(','));
      if (!eat('}')) ok_ = false;
    } else if (c == '[') {
      j.kind = Json::kArray;
      ++p_;
      if (eat(']')) return;
      do {
        j.arr.emplace_back();
        value(j.arr.back());
      } while (ok_ && eat(','));
      if (!eat(']')) ok_ = false;
    } else if (c == '"') {
      j.kind = Json::kString;
      string(j.str);
    } else if (s_.substr(p_, 4) == "true" || s_.substr(p_, 5) == "false") {
      j.kind = Json::kBool;
      j.b = s_[p_] == 't';
      p_ += j.b ? 4 : 5;
    } else if (s_.substr(p_, 4) == "null") {
      p_ += 4;
    } else {
      j.kind = Json::kNumber;
      size_t used = 0;
      j.num = std::stod(std::string(s_.substr(p_, 64)), &used);
      p_ += used;
    }
  }

  std::string_view s_;
  size_t p_ = 0;
  bool ok_ = true;
};

}  // namespace trove::testing
