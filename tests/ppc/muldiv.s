# Multiply and divide. mulhw/mulhwu/divw/divwu leave rD's high word undefined (ISA), so those
# results are checked through clrldi.

test_mullw_full_product:
  #_ REGISTER_IN r4 0x80000001
  #_ REGISTER_IN r5 3
  mullw r3, r4, r5
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFE80000003

test_mulli:
  #_ REGISTER_IN r4 0x12345678
  mulli r3, r4, -3
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFFC962FC98

test_mulhw_mulhwu:
  #_ REGISTER_IN r4 0xFFFFFFFF
  #_ REGISTER_IN r5 0x80000000
  #_ REGISTER_IN r6 2
  mulhwu r3, r4, r4
  clrldi r3, r3, 32
  mulhw r7, r4, r4
  clrldi r7, r7, 32
  mulhw r8, r5, r6
  clrldi r8, r8, 32
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFE
  #_ REGISTER_OUT r7 0
  #_ REGISTER_OUT r8 0xFFFFFFFF

test_mulld_mulhd_mulhdu:
  #_ REGISTER_IN r4 0x123456789ABCDEF0
  #_ REGISTER_IN r5 0xFEDCBA9876543210
  #_ REGISTER_IN r6 0x123456789
  #_ REGISTER_IN r7 0x987654321
  mulld r3, r6, r7
  mulhdu r8, r4, r5
  mulhd r9, r4, r5
  blr
  #_ REGISTER_OUT r3 0xD77D742CCE1833A9
  #_ REGISTER_OUT r8 0x121FA00AD77D7422
  #_ REGISTER_OUT r9 0xFFEB49923CC09532

test_divw_truncates_toward_zero:
  #_ REGISTER_IN r4 -7
  #_ REGISTER_IN r5 2
  #_ REGISTER_IN r6 -100
  #_ REGISTER_IN r7 7
  divw r3, r4, r5
  clrldi r3, r3, 32
  divw r8, r6, r7
  clrldi r8, r8, 32
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFD
  #_ REGISTER_OUT r8 0xFFFFFFF2

test_divwu:
  #_ REGISTER_IN r4 0xFFFFFFFF
  #_ REGISTER_IN r5 7
  divwu r3, r4, r5
  clrldi r3, r3, 32
  blr
  #_ REGISTER_OUT r3 0x24924924

test_divd_divdu:
  #_ REGISTER_IN r4 0x8000000000000001
  #_ REGISTER_IN r5 7
  #_ REGISTER_IN r6 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_IN r7 10
  divd r3, r4, r5
  divdu r8, r6, r7
  blr
  #_ REGISTER_OUT r3 0xEDB6DB6DB6DB6DB7
  #_ REGISTER_OUT r8 0x1999999999999999

test_divw_record_32:
  # CR0 of a divw. result compares the low word (32-bit mode)
  #_ MODE 32
  #_ REGISTER_IN r4 -10
  #_ REGISTER_IN r5 5
  divw. r3, r4, r5
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x80000000
