# Integer loads and stores (big-endian), D-form and X-form, sign and zero extension.

test_loads_extend:
  #_ MEMORY_IN 10001000 80 91 A2 B3 C4 D5 E6 F7 08 19 2A 3B 4C 5D 6E 7F
  #_ REGISTER_IN r4 0x10001000
  lbz r3, 0(r4)
  lhz r5, 0(r4)
  lha r6, 0(r4)
  lwz r7, 4(r4)
  lwa r8, 0(r4)
  ld r9, 8(r4)
  lha r10, 8(r4)
  blr
  #_ REGISTER_OUT r3 0x80
  #_ REGISTER_OUT r5 0x8091
  #_ REGISTER_OUT r6 0xFFFFFFFFFFFF8091
  #_ REGISTER_OUT r7 0xC4D5E6F7
  #_ REGISTER_OUT r8 0xFFFFFFFF8091A2B3
  #_ REGISTER_OUT r9 0x08192A3B4C5D6E7F
  #_ REGISTER_OUT r10 0x0819

test_indexed_loads:
  #_ MEMORY_IN 10001000 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF
  #_ REGISTER_IN r4 0x10001000
  #_ REGISTER_IN r5 6
  lbzx r3, r4, r5
  lhzx r6, r4, r5
  lhax r7, r4, r5
  li r8, 8
  lwzx r9, r4, r8
  ldx r10, r4, r8
  lwax r11, r4, r8
  blr
  #_ REGISTER_OUT r3 0x66
  #_ REGISTER_OUT r6 0x6677
  #_ REGISTER_OUT r7 0x6677
  #_ REGISTER_OUT r9 0x8899AABB
  #_ REGISTER_OUT r10 0x8899AABBCCDDEEFF
  #_ REGISTER_OUT r11 0xFFFFFFFF8899AABB

test_ra_zero_means_zero:
  # rA = 0 in an address or in addi/addis is the value 0, not r0
  #_ MEMORY_IN 10001000 DE AD BE EF
  #_ REGISTER_IN r0 0x7777
  #_ REGISTER_IN r6 0x10001000
  lwzx r5, 0, r6
  addi r7, 0, 5
  addis r8, 0, 1
  blr
  #_ REGISTER_OUT r5 0xDEADBEEF
  #_ REGISTER_OUT r7 5
  #_ REGISTER_OUT r8 0x10000
  #_ REGISTER_OUT r0 0x7777

test_stores:
  #_ MEMORY_IN 10001040 CC CC CC CC CC CC CC CC CC CC CC CC CC CC CC CC
  #_ REGISTER_IN r4 0x10001040
  #_ REGISTER_IN r5 0x0102030405060708
  stb r5, 0(r4)
  sth r5, 2(r4)
  stw r5, 4(r4)
  std r5, 8(r4)
  blr
  #_ MEMORY_OUT 10001040 08 CC 07 08 05 06 07 08 01 02 03 04 05 06 07 08

test_indexed_stores:
  #_ MEMORY_IN 10001050 CC CC CC CC CC CC CC CC CC CC CC CC CC CC CC CC
  #_ REGISTER_IN r4 0x10001050
  #_ REGISTER_IN r5 0xA1B2C3D4E5F60718
  li r6, 1
  stbx r5, r4, r6
  li r6, 2
  sthx r5, r4, r6
  li r6, 4
  stwx r5, r4, r6
  li r6, 8
  stdx r5, r4, r6
  blr
  #_ MEMORY_OUT 10001050 CC 18 07 18 E5 F6 07 18 A1 B2 C3 D4 E5 F6 07 18

test_negative_displacement:
  #_ MEMORY_IN 10001100 11 22 33 44
  #_ REGISTER_IN r4 0x10001108
  lwz r3, -8(r4)
  blr
  #_ REGISTER_OUT r3 0x11223344

test_multiple:
  #_ MEMORY_IN 10001000 00 00 00 01 00 00 00 02 00 00 00 03
  #_ REGISTER_IN r4 0x10001000
  lmw r29, 0(r4)
  addi r29, r29, 10
  stmw r29, 16(r4)
  blr
  #_ REGISTER_OUT r29 11
  #_ REGISTER_OUT r30 2
  #_ REGISTER_OUT r31 3
  #_ MEMORY_OUT 10001010 00 00 00 0B 00 00 00 02 00 00 00 03
