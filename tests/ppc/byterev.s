# Byte-reversed loads and stores.

test_lwbrx_lhbrx:
  #_ MEMORY_IN 10001000 11 22 33 44 85 66
  #_ REGISTER_IN r4 0x10001000
  #_ REGISTER_IN r5 4
  lwbrx r3, 0, r4
  lhbrx r6, r4, r5
  blr
  #_ REGISTER_OUT r3 0x44332211
  #_ REGISTER_OUT r6 0x6685

test_lwbrx_zero_extends:
  #_ MEMORY_IN 10001000 01 00 00 80
  #_ REGISTER_IN r3 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_IN r4 0x10001000
  lwbrx r3, 0, r4
  blr
  #_ REGISTER_OUT r3 0x80000001

test_stwbrx_sthbrx:
  #_ MEMORY_IN 10001050 CC CC CC CC CC CC CC CC
  #_ REGISTER_IN r4 0x10001050
  #_ REGISTER_IN r5 0x1122334455667788
  #_ REGISTER_IN r6 4
  stwbrx r5, 0, r4
  sthbrx r5, r4, r6
  blr
  #_ MEMORY_OUT 10001050 88 77 66 55 88 77 CC CC

test_byterev_round_trip:
  #_ REGISTER_IN r4 0x10001040
  #_ REGISTER_IN r5 0xCAFEF00D
  stwbrx r5, 0, r4
  lwz r6, 0(r4)
  lwbrx r7, 0, r4
  blr
  #_ REGISTER_OUT r6 0x0DF0FECA
  #_ REGISTER_OUT r7 0xCAFEF00D
