# Carry (XER[CA]) in both modes. ISA: in 32-bit mode (MSR[SF]=0) CA is the carry out of bit 32
# (the low word); in 64-bit mode the carry out of bit 0. Results are always the 64-bit sums.

test_addc_low_word_carry_32:
  #_ MODE 32
  #_ REGISTER_IN r4 0xFFFFFFFF
  #_ REGISTER_IN r5 1
  addc r3, r4, r5
  mfxer r6
  blr
  #_ REGISTER_OUT r3 0x0000000100000000
  #_ REGISTER_OUT r6 0x20000000
  #_ REGISTER_OUT xer 0x20000000

test_addc_low_word_carry_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0xFFFFFFFF
  #_ REGISTER_IN r5 1
  addc r3, r4, r5
  mfxer r6
  blr
  #_ REGISTER_OUT r3 0x0000000100000000
  #_ REGISTER_OUT r6 0
  #_ REGISTER_OUT xer 0

test_addc_full_carry_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_IN r5 2
  addc r3, r4, r5
  blr
  #_ REGISTER_OUT r3 1
  #_ REGISTER_OUT xer 0x20000000

test_adde_chain_64:
  # 128-bit add: (r4:r5) + (r6:r7) -> (r8:r9)
  #_ MODE 64
  #_ REGISTER_IN r4 0x0000000000000001
  #_ REGISTER_IN r5 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_IN r6 0x0000000000000002
  #_ REGISTER_IN r7 0x0000000000000001
  addc r9, r5, r7
  adde r8, r4, r6
  blr
  #_ REGISTER_OUT r9 0
  #_ REGISTER_OUT r8 4
  #_ REGISTER_OUT xer 0

test_adde_chain_32:
  # 64-bit add from 32-bit halves: 0x00000001_FFFFFFFF + 0x00000002_00000001
  #_ MODE 32
  #_ REGISTER_IN r4 1
  #_ REGISTER_IN r5 0xFFFFFFFF
  #_ REGISTER_IN r6 2
  #_ REGISTER_IN r7 1
  addc r9, r5, r7
  adde r8, r4, r6
  blr
  #_ REGISTER_OUT r9 0x0000000100000000
  #_ REGISTER_OUT r8 4
  #_ REGISTER_OUT xer 0

test_addic_minus_one_32:
  # addic rD, rA, -1 sets CA unless rA's low word is 0
  #_ MODE 32
  #_ REGISTER_IN r4 0xFFFFFFFF00000000
  addic r3, r4, -1
  addze r5, r0
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFEFFFFFFFF
  #_ REGISTER_OUT r5 0

test_addic_minus_one_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0xFFFFFFFF00000000
  addic r3, r4, -1
  addze r5, r0
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFEFFFFFFFF
  #_ REGISTER_OUT r5 1

test_addic_record_32:
  # addic. records CR0 from the low word in 32-bit mode: 0x7FFFFFFF + 1 = 0x80000000 < 0
  #_ MODE 32
  #_ REGISTER_IN r4 0x7FFFFFFF
  addic. r3, r4, 1
  mfcr r12
  blr
  #_ REGISTER_OUT r3 0x80000000
  #_ REGISTER_OUT r12 0x80000000
  #_ REGISTER_OUT xer 0

test_addic_record_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0x7FFFFFFF
  addic. r3, r4, 1
  mfcr r12
  blr
  #_ REGISTER_OUT r3 0x80000000
  #_ REGISTER_OUT r12 0x40000000
  #_ REGISTER_OUT xer 0

test_subfc_borrow:
  # subfc: CA = 1 when no borrow (rB >= rA unsigned)
  #_ MODE 64
  #_ REGISTER_IN r4 5
  #_ REGISTER_IN r5 3
  subfc r3, r4, r5
  addze r6, r0
  subfc r7, r5, r4
  addze r8, r0
  blr
  #_ REGISTER_OUT r3 -2
  #_ REGISTER_OUT r6 0
  #_ REGISTER_OUT r7 2
  #_ REGISTER_OUT r8 1

test_subfe_chain_32:
  # 64-bit subtract from 32-bit halves: 0x00000002_00000000 - 0x00000000_00000001
  #_ MODE 32
  #_ REGISTER_IN r4 2
  #_ REGISTER_IN r5 0
  #_ REGISTER_IN r6 0
  #_ REGISTER_IN r7 1
  subfc r9, r7, r5
  subfe r8, r6, r4
  blr
  #_ REGISTER_OUT r9 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_OUT r8 1
  #_ REGISTER_OUT xer 0x20000000

test_subfic_32_vs_64_32:
  # subfic r3, r4, 0 = -r4; CA = 1 only when r4's (low word in 32-bit mode) is 0
  #_ MODE 32
  #_ REGISTER_IN r4 0x100000000
  subfic r3, r4, 0
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFF00000000
  #_ REGISTER_OUT xer 0x20000000

test_subfic_32_vs_64_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0x100000000
  subfic r3, r4, 0
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFF00000000
  #_ REGISTER_OUT xer 0

test_addme_addze:
  #_ MODE 32
  #_ REGISTER_IN xer 0x20000000
  #_ REGISTER_IN r4 0
  #_ REGISTER_IN r5 0xFFFFFFFF
  addme r3, r4
  addze r6, r5
  blr
  # addme: 0 + CA(1) - 1 = 0, carry out of the low word (0 + 0xFFFFFFFF + 1) -> CA=1
  # addze: 0xFFFFFFFF + 1 = 0x100000000, CA=1
  #_ REGISTER_OUT r3 0
  #_ REGISTER_OUT r6 0x100000000
  #_ REGISTER_OUT xer 0x20000000

test_sraw_carry:
  # sraw/srawi set CA when the source is negative and 1-bits are shifted out
  #_ MODE 32
  #_ REGISTER_IN r4 0xFFFFFFF5
  #_ REGISTER_IN r5 2
  sraw r3, r4, r5
  addze r6, r0
  srawi r7, r4, 0
  addze r8, r0
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFFFFFFFFFD
  #_ REGISTER_OUT r6 1
  #_ REGISTER_OUT r7 0xFFFFFFFFFFFFFFF5
  #_ REGISTER_OUT r8 0
