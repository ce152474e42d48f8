# Floating-point loads and stores: single<->double conversion on the bits (an SNaN stays
# signalling, single denormals are normalised on load and denormalised by truncation on store),
# update forms, stfiwx (Power ISA Book I 4.6.2-4.6.3).

test_lfs_snan_stays_signalling:
  #_ MEMORY_IN 10001000 7F800001 00000001
  #_ REGISTER_IN r4 0x10001000
  lfs f1, 0(r4)
  lfs f2, 4(r4)
  blr
  #_ REGISTER_OUT f1 0x7FF0000020000000
  #_ REGISTER_OUT f2 0x36A0000000000000

test_stfs_round_trip_and_denormal:
  #_ REGISTER_IN r4 0x10001000
  #_ REGISTER_IN f1 0x7FF0000020000000
  #_ REGISTER_IN f2 0x3730000000000000
  #_ REGISTER_IN f3 0x3FF0000004000000
  stfs f1, 0(r4)
  stfs f2, 4(r4)
  stfs f3, 8(r4)
  blr
  #_ MEMORY_OUT 10001000 7F800001 00000200 3F800000

test_update_forms_and_stfiwx:
  #_ MEMORY_IN 10001010 0123456789ABCDEF
  #_ REGISTER_IN r4 0x10001000
  #_ REGISTER_IN r5 0x10
  #_ REGISTER_IN f5 0xFEDCBA9876543210
  lfdux f1, r4, r5
  stfdu f5, 8(r4)
  stfiwx f5, 0, r4
  lfsu f2, 4(r4)     # single 0x76543210 -> double
  blr
  #_ REGISTER_OUT r4 0x1000101C
  #_ REGISTER_OUT f1 0x0123456789ABCDEF
  #_ MEMORY_OUT 10001018 76543210 76543210
  #_ REGISTER_OUT f2 0x46CA864200000000
