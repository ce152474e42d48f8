# Compares into different CR fields; mfcr reads all eight.

test_cmpw_fields:
  #_ REGISTER_IN r4 -1
  #_ REGISTER_IN r5 1
  cmpw cr0, r4, r5
  cmpw cr1, r5, r4
  cmpw cr7, r4, r4
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x84000002
  #_ REGISTER_OUT cr 0x84000002

test_cmplw_unsigned:
  #_ REGISTER_IN r4 -1
  #_ REGISTER_IN r5 1
  cmplw cr2, r4, r5
  cmplw cr3, r5, r4
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x00480000

test_cmpw_ignores_high_word:
  #_ REGISTER_IN r4 0x0000000100000002
  #_ REGISTER_IN r5 0xFFFFFFFF00000002
  cmpw cr0, r4, r5
  cmpd cr1, r4, r5
  cmpld cr2, r4, r5
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x24800000

test_cmpwi_cmplwi:
  #_ REGISTER_IN r4 0xFFFF8000
  cmpwi cr4, r4, -32768
  cmplwi cr5, r4, 0xFFFF
  cmpwi cr6, r4, 0
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x00002480

test_cmpdi_cmpldi:
  #_ REGISTER_IN r4 0x8000000000000000
  cmpdi cr0, r4, 0
  cmpldi cr1, r4, 0
  cmpdi cr2, r4, -1
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x84800000

test_cmp_copies_so:
  #_ REGISTER_IN xer 0x80000000
  #_ REGISTER_IN r4 3
  cmpwi cr3, r4, 3
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x00030000
  #_ REGISTER_OUT xer 0x80000000

test_record_forms_cr0_32:
  # 32-bit mode: CR0 from the low word as signed
  #_ MODE 32
  #_ REGISTER_IN r4 0x0000000100000000
  #_ REGISTER_IN r5 0x00000000FFFFFFFF
  or. r3, r4, r4
  mfcr r12
  or. r6, r5, r5
  mfcr r11
  blr
  #_ REGISTER_OUT r12 0x20000000
  #_ REGISTER_OUT r11 0x80000000

test_record_forms_cr0_64:
  #_ MODE 64
  #_ REGISTER_IN r4 0x0000000100000000
  #_ REGISTER_IN r5 0x00000000FFFFFFFF
  or. r3, r4, r4
  mfcr r12
  or. r6, r5, r5
  mfcr r11
  blr
  #_ REGISTER_OUT r12 0x40000000
  #_ REGISTER_OUT r11 0x40000000
