// ingest/ignore_rules.h — gitignore-syntax matching for .troveignore files.
//
// One IgnoreRules holds the patterns of one .troveignore file, relative to the folder
// that holds it. Semantics follow gitignore(5): blank lines and '#' comments ignored;
// trailing unescaped spaces trimmed; '\' escapes the next character; '!' negates (a
// later rule overrides an earlier one); a pattern with a '/' at the start or middle is
// anchored to the file's folder, otherwise it matches a name at any depth below; a
// trailing '/' matches directories only; '*' and '?' and [...] never match '/'; '**'
// as a whole path segment matches any number of segments. As in git, a file inside an
// excluded directory cannot be re-included (the walker never enters the directory).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trove::ingest {

class IgnoreRules {
 public:
  // Parses the text of a .troveignore file.
  static IgnoreRules parse(std::string_view text);

  // Decision for `rel_path` ('/'-separated, relative to the folder holding the file).
  // nullopt: no rule matched; true: ignored; false: explicitly re-included by '!'.
  std::optional<bool> match(std::string_view rel_path, bool is_dir) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    std::string pattern;  // unescaped-as-written glob, leading '/' and trailing '/' removed
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;  // contains a '/' (other than a trailing one)
  };
  std::vector<Rule> rules_;
};

// Glob match of one gitignore pattern against a path (both '/'-separated); exposed for
// tests. '*' '?' '[...]' don't cross '/', '**/' '/**' '/**/' span segments, '\' escapes.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace trove::ingest
