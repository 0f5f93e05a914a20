#include "signer/digest.h"

#include <string>

#include "gtest/gtest.h"

namespace einvoice {
namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

TEST(DigestTest, Sha256OfAbcMatchesFips180Vector) {
  EXPECT_EQ(Hex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, Sha256OfEmptyString) {
  EXPECT_EQ(Hex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(DigestTest, Sha256HandlesEmbeddedNul) {
  EXPECT_NE(Sha256(std::string("a\0b", 3)), Sha256("ab"));
  EXPECT_EQ(Sha256(std::string("a\0b", 3)).size(), 32u);
}

// A fixed P-256 SubjectPublicKeyInfo (public half of a throwaway key; golden
// value from `sha256sum` of the same bytes).
constexpr unsigned char kSpki[] = {
      0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
      0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
      0x42, 0x00, 0x04, 0x01, 0xd3, 0x2a, 0xe5, 0x3a, 0xa4, 0x4e, 0x5c, 0xaa,
      0xc4, 0x59, 0xdb, 0xcf, 0xbe, 0xd7, 0x1a, 0xf0, 0xef, 0xd3, 0x07, 0x8c,
      0x66, 0xcb, 0x7d, 0x1e, 0xe3, 0xd5, 0x17, 0x78, 0x32, 0xf4, 0xb4, 0xd2,
      0x54, 0xc1, 0xd1, 0x0c, 0x21, 0xc7, 0xf4, 0x3b, 0xb1, 0x4e, 0x80, 0x37,
      0xdd, 0xa3, 0x7b, 0x7f, 0xb0, 0x9b, 0x83, 0x9b, 0x1b, 0x34, 0xb1, 0xd5,
      0xfb, 0x57, 0x81, 0x27, 0x29, 0x2b, 0x14};

TEST(DigestTest, KeyIdIsLowerCaseHexSha256OfSpki) {
  const std::string spki(reinterpret_cast<const char*>(kSpki), sizeof(kSpki));
  const std::string key_id = KeyIdOf(spki);
  EXPECT_EQ(key_id, Hex(Sha256(spki)));
  // Pinned: key ids outlive processes (they are stored with every signed invoice).
  EXPECT_EQ(key_id, "c85eda59c2f54c8e91ae0403799c0c6aa61740d4d702dd0374b5c3b4dc1b6abe");
  EXPECT_EQ(key_id.size(), 64u);
  EXPECT_EQ(key_id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace einvoice
