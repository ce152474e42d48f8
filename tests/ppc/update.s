# Update forms: rA receives the effective address.

test_load_update:
  #_ MEMORY_IN 10001000 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10
  #_ REGISTER_IN r4 0x10001000
  lbzu r3, 1(r4)
  lhzu r5, 1(r4)
  lwzu r6, 2(r4)
  blr
  #_ REGISTER_OUT r3 0x02
  #_ REGISTER_OUT r5 0x0304
  #_ REGISTER_OUT r6 0x05060708
  #_ REGISTER_OUT r4 0x10001004

test_load_update_indexed:
  #_ MEMORY_IN 10001000 01 02 03 04 05 06 07 08 89 0A 0B 0C 0D 0E 0F 10
  #_ REGISTER_IN r4 0x10001000
  #_ REGISTER_IN r7 8
  lhaux r3, r4, r7
  lwzux r5, r4, r7
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFFFFFF890A
  #_ REGISTER_OUT r5 0
  #_ REGISTER_OUT r4 0x10001010
  #_ MEMORY_OUT 10001000 01 02 03 04 05 06 07 08 89 0A 0B 0C 0D 0E 0F 10

test_ldu_stdu:
  #_ MEMORY_IN 10001000 00 00 00 00 00 00 00 00 11 22 33 44 55 66 77 88
  #_ REGISTER_IN r4 0x10001000
  ldu r3, 8(r4)
  stdu r3, 8(r4)
  blr
  #_ REGISTER_OUT r3 0x1122334455667788
  #_ REGISTER_OUT r4 0x10001010
  #_ MEMORY_OUT 10001010 11 22 33 44 55 66 77 88

test_store_update:
  #_ MEMORY_IN 10001040 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
  #_ REGISTER_IN r4 0x10001040
  #_ REGISTER_IN r5 0xAABBCCDD
  stbu r5, 1(r4)
  sthu r5, 1(r4)
  stwu r5, 2(r4)
  li r6, 4
  stwux r5, r4, r6
  blr
  #_ REGISTER_OUT r4 0x10001048
  #_ MEMORY_OUT 10001040 00 DD CC DD AA BB CC DD AA BB CC DD 00 00 00 00

test_store_update_walk:
  # fill four words with a stwu loop
  #_ REGISTER_IN r4 0x1000104C
  li r5, 4
  mtctr r5
  li r6, 0x55
fill:
  stwu r6, 4(r4)
  addi r6, r6, 1
  bdnz fill
  blr
  #_ REGISTER_OUT r4 0x1000105C
  #_ MEMORY_OUT 10001050 00 00 00 55 00 00 00 56 00 00 00 57 00 00 00 58
