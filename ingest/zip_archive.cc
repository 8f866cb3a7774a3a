// ingest/zip_archive.cc — libzip over a memory buffer, with streaming limits (see
// zip_archive.h for the rules).
#include "ingest/zip_archive.h"

#include <zip.h>

#include <cctype>
#include <unordered_map>

namespace trove::ingest {

struct ZipArchive::Impl {
  zip_t* za = nullptr;
  std::unordered_map<std::string, zip_uint64_t> index;  // name → entry index
  ~Impl() {
    if (za) zip_discard(za);  // read-only: nothing to write back
  }
};

namespace {

struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

std::string zip_error_text(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string s = zip_error_strerror(&e);
  zip_error_fini(&e);
  return s;
}

}  // namespace

ZipArchive::ZipArchive() : impl_(std::make_unique<Impl>()) {}
ZipArchive::~ZipArchive() = default;

bool zip_name_is_safe(std::string_view name) {
  if (name.empty() || name[0] == '/' || name[0] == '\\') return false;
  if (name.size() >= 2 && name[1] == ':' && std::isalpha(static_cast<unsigned char>(name[0])))
    return false;
  size_t i = 0;
  while (i <= name.size()) {
    size_t e = name.find_first_of("/\\", i);
    if (e == std::string_view::npos) e = name.size();
    if (name.substr(i, e - i) == "..") return false;
    i = e + 1;
  }
  return true;
}

bool ZipArchive::open(std::string_view bytes, const ZipLimits& limits, std::string* why) {
  limits_ = limits;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) {
    *why = std::string("cannot read the ZIP container: ") + zip_error_strerror(&err);
    zip_error_fini(&err);
    error_ = ZipError::kCorrupt;
    return false;
  }
  impl_->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!impl_->za) {
    int code = zip_error_code_zip(&err);
    zip_source_free(src);  // not taken over when open fails
    error_ = code == ZIP_ER_NOZIP ? ZipError::kNotZip : ZipError::kCorrupt;
    *why = "broken ZIP container: " + zip_error_text(code);
    zip_error_fini(&err);
    return false;
  }
  zip_error_fini(&err);
  zip_int64_t n = zip_get_num_entries(impl_->za, 0);
  if (n < 0 || static_cast<uint64_t>(n) > limits_.max_entries) {
    error_ = ZipError::kBomb;
    *why = "ZIP container has " + std::to_string(n) + " entries (limit " +
           std::to_string(limits_.max_entries) + ")";
    return false;
  }
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(impl_->za, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !st.name) continue;
    std::string name = st.name;
    if (!zip_name_is_safe(name)) {
      error_ = ZipError::kUnsafeName;
      *why = "ZIP entry with an unsafe name (path traversal): " + name;
      return false;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      error_ = ZipError::kEncrypted;
      *why = "password-protected (encrypted ZIP entry " + name + ")";
      return false;
    }
    impl_->index.emplace(name, static_cast<zip_uint64_t>(i));
    names_.push_back(std::move(name));
  }
  return true;
}

bool ZipArchive::has(std::string_view name) const {
  return impl_->index.count(std::string(name)) > 0;
}

bool ZipArchive::read(std::string_view name, std::string* out, std::string* why) {
  out->clear();
  auto it = impl_->index.find(std::string(name));
  if (it == impl_->index.end()) {
    error_ = ZipError::kMissing;
    *why = "ZIP entry " + std::string(name) + " is missing";
    return false;
  }
  zip_stat_t st;
  zip_stat_init(&st);
  zip_stat_index(impl_->za, it->second, 0, &st);
  uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(impl_->za, it->second, 0));
  if (!f) {
    int code = zip_error_code_zip(zip_get_error(impl_->za));
    error_ = code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD ? ZipError::kEncrypted
                                                                    : ZipError::kCorrupt;
    *why = "cannot open ZIP entry " + std::string(name) + ": " + zip_error_text(code);
    return false;
  }
  char buf[65536];
  for (;;) {
    zip_int64_t got = zip_fread(f.get(), buf, sizeof buf);
    if (got < 0) {
      error_ = ZipError::kCorrupt;
      *why = "corrupt ZIP entry " + std::string(name) + ": " +
             zip_file_strerror(f.get());
      return false;
    }
    if (got == 0) break;
    out->append(buf, static_cast<size_t>(got));
    total_read_ += static_cast<uint64_t>(got);
    const uint64_t size = out->size();
    std::string over;
    if (size > limits_.max_entry_bytes) {
      over = "inflates past " + std::to_string(limits_.max_entry_bytes >> 20) + " MiB";
    } else if (total_read_ > limits_.max_total_bytes) {
      over = "archive inflates past " + std::to_string(limits_.max_total_bytes >> 20) + " MiB";
    } else if (size > limits_.ratio_grace_bytes && size > limits_.max_ratio * compressed) {
      over = "inflates more than " + std::to_string(limits_.max_ratio) + " times its " +
             std::to_string(compressed) + " compressed bytes";
    }
    if (!over.empty()) {
      error_ = ZipError::kBomb;
      *why = "ZIP bomb: entry " + std::string(name) + " " + over;
      out->clear();
      return false;
    }
  }
  return true;
}

std::string zip_resolve(std::string_view base, std::string_view href) {
  std::string h;
  for (size_t i = 0; i < href.size(); ++i) {
    if (href[i] == '#' || href[i] == '?') break;
    if (href[i] == '%' && i + 2 < href.size() && std::isxdigit(static_cast<unsigned char>(href[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(href[i + 2]))) {
      h.push_back(static_cast<char>(std::stoi(std::string(href.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      h.push_back(href[i]);
    }
  }
  if (h.empty()) return {};
  std::vector<std::string> parts;
  if (h[0] != '/') {
    size_t slash = base.rfind('/');
    std::string_view dir = slash == std::string_view::npos ? "" : base.substr(0, slash);
    size_t i = 0;
    while (i < dir.size()) {
      size_t e = dir.find('/', i);
      if (e == std::string_view::npos) e = dir.size();
      if (e > i) parts.emplace_back(dir.substr(i, e - i));
      i = e + 1;
    }
  }
  size_t i = 0;
  while (i <= h.size()) {
    size_t e = h.find('/', i);
    if (e == std::string::npos) e = h.size();
    std::string seg = h.substr(i, e - i);
    if (seg == "..") {
      if (parts.empty()) return {};
      parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = e + 1;
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

}  // namespace trove::ingest
