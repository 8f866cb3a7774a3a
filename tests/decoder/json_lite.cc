// tests/decoder/json_lite.cc — a recursive-descent JSON reader for test fixtures.
#include "tests/decoder/json_lite.h"

#include "generate/unicode_props.h"

#include <cassert>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace trove::testing {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  bool parse(Json& out) {
    if (!value(out)) return false;
    skip_ws();
    return i_ == s_.size();
  }

 private:
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }

  bool value(Json& v) {
    skip_ws();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return object(v);
    if (c == '[') return array(v);
    if (c == '"') {
      v.kind = Json::Kind::kString;
      return string(v.str);
    }
    if (literal("true")) {
      v.kind = Json::Kind::kBool;
      v.b = true;
      return true;
    }
    if (literal("false")) {
      v.kind = Json::Kind::kBool;
      return true;
    }
    if (literal("null")) return true;
    return number(v);
  }

  bool number(Json& v) {
    const std::string tmp(s_.substr(i_, std::min<size_t>(64, s_.size() - i_)));
    char* end = nullptr;
    v.num = std::strtod(tmp.c_str(), &end);
    if (end == tmp.c_str()) return false;
    i_ += static_cast<size_t>(end - tmp.c_str());
    v.kind = Json::Kind::kNumber;
    return true;
  }

  bool hex4(uint32_t& cp) {
    if (i_ + 4 > s_.size()) return false;
    cp = static_cast<uint32_t>(std::strtoul(std::string(s_.substr(i_, 4)).c_str(), nullptr, 16));
    i_ += 4;
    return true;
  }

  bool string(std::string& out) {
    ++i_;  // opening quote
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && literal("\\u")) {
            uint32_t lo = 0;
            if (!hex4(lo)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8_append(out, cp);
          break;
        }
        default:
          out += e;
      }
    }
    return false;
  }

  bool array(Json& v) {
    ++i_;
    v.kind = Json::Kind::kArray;
    if (eat(']')) return true;
    do {
      v.arr.emplace_back();
      if (!value(v.arr.back())) return false;
    } while (eat(','));
    return eat(']');
  }

  bool object(Json& v) {
    ++i_;
    v.kind = Json::Kind::kObject;
    if (eat('}')) return true;
    do {
      skip_ws();
      std::string key;
      if (i_ >= s_.size() || s_[i_] != '"' || !string(key) || !eat(':')) return false;
      if (!value(v.obj[key])) return false;
    } while (eat(','));
    return eat('}');
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

const Json& Json::operator[](std::string_view key) const {
  auto it = obj.find(key);
  if (it == obj.end()) throw std::out_of_range("json key missing: " + std::string(key));
  return it->second;
}

std::vector<float> Json::floats() const {
  std::vector<float> out;
  out.reserve(arr.size());
  for (const Json& x : arr) out.push_back(static_cast<float>(x.num));
  return out;
}

std::vector<int32_t> Json::ints() const {
  std::vector<int32_t> out;
  out.reserve(arr.size());
  for (const Json& x : arr) out.push_back(static_cast<int32_t>(x.num));
  return out;
}

std::optional<Json> parse_json(std::string_view text) {
  Json j;
  Parser p(text);
  if (!p.parse(j)) return std::nullopt;
  return j;
}

std::vector<Json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  std::vector<Json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    // A malformed line becomes null, so a test reading it fails loudly.
    auto j = parse_json(line);
    out.push_back(j ? std::move(*j) : Json{});
  }
  return out;
}

}  // namespace trove::testing
