# Load-reserve / store-conditional. stwcx./stdcx. set CR0 to 00 || EQ(success) || SO.

test_lwarx_stwcx_success:
  #_ MEMORY_IN 10001000 00 00 00 29
  #_ REGISTER_IN r4 0x10001000
  lwarx r3, 0, r4
  addi r3, r3, 1
  stwcx. r3, 0, r4
  mfcr r12
  lwz r5, 0(r4)
  blr
  #_ REGISTER_OUT r3 42
  #_ REGISTER_OUT r5 42
  #_ REGISTER_OUT r12 0x20000000

test_stwcx_without_reservation_fails:
  #_ MEMORY_IN 10001000 00 00 00 07
  #_ REGISTER_IN r4 0x10001000
  #_ REGISTER_IN r3 99
  stwcx. r3, 0, r4
  mfcr r12
  lwz r5, 0(r4)
  blr
  #_ REGISTER_OUT r12 0
  #_ REGISTER_OUT r5 7

test_reservation_is_consumed:
  # a second stwcx. after a successful one fails
  #_ REGISTER_IN r4 0x10001000
  lwarx r3, 0, r4
  li r3, 1
  stwcx. r3, 0, r4
  mfcr r12
  li r3, 2
  stwcx. r3, 0, r4
  mfcr r11
  lwz r5, 0(r4)
  blr
  #_ REGISTER_OUT r12 0x20000000
  #_ REGISTER_OUT r11 0
  #_ REGISTER_OUT r5 1

test_atomic_increment_loop:
  #_ MEMORY_IN 10001040 00 00 00 00 00 00 00 FF
  #_ REGISTER_IN r4 0x10001040
retry:
  ldarx r3, 0, r4
  addi r3, r3, 1
  stdcx. r3, 0, r4
  bne- retry
  ld r5, 0(r4)
  blr
  #_ REGISTER_OUT r5 0x100

test_stwcx_copies_so:
  #_ REGISTER_IN xer 0x80000000
  #_ REGISTER_IN r4 0x10001000
  lwarx r3, 0, r4
  stwcx. r3, 0, r4
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x30000000
