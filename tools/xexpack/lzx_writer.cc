#include "lzx_writer.h"

#include <algorithm>

namespace hexad::xexpack {

namespace {

// LZX's bitstream: 16-bit little-endian words, each filled from its most significant bit.
class BitWriter {
 public:
  explicit BitWriter(std::vector<uint8_t>& out) : out_(out) {}
  void bits(uint32_t value, int n) {
    for (int i = n - 1; i >= 0; --i) {
      word_ = uint16_t(word_ << 1 | ((value >> i) & 1));
      if (++used_ == 16) flush_word();
    }
  }
  // Before an uncompressed block's bytes the decoder drops the rest of the current word, or a
  // whole word when it is aligned ("1-16 bits"): pad to the boundary, or write a zero word.
  void align_for_uncompressed() {
    if (used_ == 0) bits(0, 16);
    else bits(0, 16 - used_);
  }

 private:
  void flush_word() {
    out_.push_back(uint8_t(word_));
    out_.push_back(uint8_t(word_ >> 8));
    word_ = 0;
    used_ = 0;
  }
  std::vector<uint8_t>& out_;
  uint16_t word_ = 0;
  int used_ = 0;
};

constexpr uint32_t kBlockUncompressed = 3;

void le32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

}  // namespace

std::vector<uint8_t> lzx_uncompressed_stream(const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out;
  BitWriter w(out);
  w.bits(0, 1);  // stream header: no Intel E8 translation
  for (size_t at = 0; at < data.size(); at += kLzxFrameSize) {
    const uint32_t len = uint32_t(std::min<size_t>(kLzxFrameSize, data.size() - at));
    w.bits(kBlockUncompressed, 3);
    w.bits(len >> 8, 16);  // the 24-bit block length, as the decoder reads it: 16 bits, then 8
    w.bits(len & 0xFF, 8);
    w.align_for_uncompressed();
    for (int r = 0; r < 3; ++r) le32(out, 1);  // R0, R1, R2: the repeated-offset registers
    out.insert(out.end(), data.begin() + at, data.begin() + at + len);
    if (len & 1) out.push_back(0);  // an odd-sized block is padded to a 16-bit boundary
  }
  return out;
}

}  // namespace hexad::xexpack
