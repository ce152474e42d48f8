# XER[OV]/[SO] from the OE=1 forms, and SO copied into CR0 by record forms. In 32-bit mode
# OV is signed overflow of the low word; in 64-bit mode of the doubleword.

test_addo_32:
  #_ MODE 32
  #_ REGISTER_IN r4 0x7FFFFFFF
  #_ REGISTER_IN r5 1
  addo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0x80000000
  #_ REGISTER_OUT xer 0xC0000000

test_addo_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0x7FFFFFFF
  #_ REGISTER_IN r5 1
  addo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0x80000000
  #_ REGISTER_OUT xer 0

test_addo_doubleword_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0x7FFFFFFFFFFFFFFF
  #_ REGISTER_IN r5 1
  addo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0x8000000000000000
  #_ REGISTER_OUT xer 0xC0000000

test_addo_record_so_32:
  # LT from the negative low word, SO from the overflow
  #_ MODE 32
  #_ REGISTER_IN r4 0x7FFFFFFF
  #_ REGISTER_IN r5 1
  addo. r3, r4, r5
  mfcr r12
  blr
  #_ REGISTER_OUT r3 0x80000000
  #_ REGISTER_OUT r12 0x90000000
  #_ REGISTER_OUT cr 0x90000000

test_so_is_sticky_32:
  # a later non-overflowing addo clears OV but not SO; add. copies SO into CR0
  #_ MODE 32
  #_ REGISTER_IN r4 0x7FFFFFFF
  #_ REGISTER_IN r5 1
  addo r3, r4, r5
  addo r6, r5, r5
  add. r7, r5, r5
  mfcr r12
  blr
  #_ REGISTER_OUT r6 2
  #_ REGISTER_OUT r7 2
  #_ REGISTER_OUT r12 0x50000000
  #_ REGISTER_OUT xer 0x80000000

test_subfo_32:
  # 0x80000000 - 1: negative minus positive gives positive -> overflow in 32 bits
  #_ MODE 32
  #_ REGISTER_IN r4 1
  #_ REGISTER_IN r5 0x80000000
  subfo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0x7FFFFFFF
  #_ REGISTER_OUT xer 0xC0000000

test_subfo_64:
  #_ MODE 64
  #_ REGISTER_IN r4 1
  #_ REGISTER_IN r5 0x80000000
  subfo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0x7FFFFFFF
  #_ REGISTER_OUT xer 0

test_nego_32:
  #_ MODE 32
  #_ REGISTER_IN r4 0x80000000
  nego r3, r4
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFF80000000
  #_ REGISTER_OUT xer 0xC0000000

test_nego_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0x80000000
  nego r3, r4
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFF80000000
  #_ REGISTER_OUT xer 0

test_mullwo:
  # the 64-bit product of the signed low words; OV when it does not fit in 32 bits
  #_ MODE 64
  #_ REGISTER_IN r4 0x10000
  #_ REGISTER_IN r5 0x10000
  mullwo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0x100000000
  #_ REGISTER_OUT xer 0xC0000000

test_mullwo_fits:
  #_ MODE 64
  #_ REGISTER_IN r4 -3
  #_ REGISTER_IN r5 7
  mullwo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 -21
  #_ REGISTER_OUT xer 0

test_mulldo_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0x100000000
  #_ REGISTER_IN r5 0x100000000
  mulldo r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0
  #_ REGISTER_OUT xer 0xC0000000

test_divwo_by_zero_sets_ov:
  #_ MODE 32
  #_ REGISTER_IN r4 5
  #_ REGISTER_IN r5 0
  divwo r3, r4, r5
  mfxer r6
  blr
  #_ REGISTER_OUT r6 0xC0000000

test_divwo_min_by_minus_one:
  #_ MODE 32
  #_ REGISTER_IN r4 0x80000000
  #_ REGISTER_IN r5 -1
  divwo r3, r4, r5
  blr
  #_ REGISTER_OUT xer 0xC0000000

test_mtxer_mfxer:
  #_ MODE 32
  #_ REGISTER_IN r4 0xE000007F
  mtxer r4
  mfxer r5
  li r6, 0
  mtxer r6
  mfxer r7
  blr
  #_ REGISTER_OUT r5 0xE000007F
  #_ REGISTER_OUT r7 0
  #_ REGISTER_OUT xer 0
