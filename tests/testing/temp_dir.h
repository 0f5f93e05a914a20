// TempDir: a fresh directory under $TEST_TMPDIR (or /tmp), removed with its contents when the
// object is destroyed. One per test, so tests never share state. Thread-compatible.
#ifndef EINVOICE_TESTS_TESTING_TEMP_DIR_H_
#define EINVOICE_TESTS_TESTING_TEMP_DIR_H_

#include <string>

namespace einvoice::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_TESTING_TEMP_DIR_H_
