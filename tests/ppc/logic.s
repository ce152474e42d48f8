# Logical ops, immediates, sign extension, count leading zeros.

test_and_or_xor_family:
  #_ REGISTER_IN r4 0xFF00FF00F0F0F0F0
  #_ REGISTER_IN r5 0x0FF00FF0FFFF0000
  and r3, r4, r5
  or r6, r4, r5
  xor r7, r4, r5
  nand r8, r4, r5
  nor r9, r4, r5
  eqv r10, r4, r5
  andc r11, r4, r5
  orc r12, r4, r5
  blr
  #_ REGISTER_OUT r3 0x0F000F00F0F00000
  #_ REGISTER_OUT r6 0xFFF0FFF0FFFFF0F0
  #_ REGISTER_OUT r7 0xF0F0F0F00F0FF0F0
  #_ REGISTER_OUT r8 0xF0FFF0FF0F0FFFFF
  #_ REGISTER_OUT r9 0x000F000F00000F0F
  #_ REGISTER_OUT r10 0x0F0F0F0FF0F00F0F
  #_ REGISTER_OUT r11 0xF000F0000000F0F0
  #_ REGISTER_OUT r12 0xFF0FFF0FF0F0FFFF

test_immediates:
  #_ REGISTER_IN r4 0xFFFFFFFF12345678
  ori r3, r4, 0x8001
  oris r5, r4, 0x8001
  xori r6, r4, 0xFFFF
  xoris r7, r4, 0xFFFF
  andi. r8, r4, 0xF0F0
  andis. r9, r4, 0x00F0
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFF1234D679
  #_ REGISTER_OUT r5 0xFFFFFFFF92355678
  #_ REGISTER_OUT r6 0xFFFFFFFF1234A987
  #_ REGISTER_OUT r7 0xFFFFFFFFEDCB5678
  #_ REGISTER_OUT r8 0x5070
  #_ REGISTER_OUT r9 0x00300000
  #_ REGISTER_OUT cr 0x40000000

test_andi_record_zero:
  #_ REGISTER_IN r4 0xF0F0
  andi. r3, r4, 0x0F0F
  mfcr r12
  blr
  #_ REGISTER_OUT r3 0
  #_ REGISTER_OUT r12 0x20000000

test_li_lis_sign_extend:
  li r3, -1
  lis r4, 0x8000
  lis r5, 0x7FFF
  ori r5, r5, 0xFFFF
  addis r6, r5, 1
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_OUT r4 0xFFFFFFFF80000000
  #_ REGISTER_OUT r5 0x7FFFFFFF
  #_ REGISTER_OUT r6 0x000000008000FFFF

test_extend:
  #_ REGISTER_IN r4 0x12345678876543F0
  extsb r3, r4
  extsh r5, r4
  extsw r6, r4
  neg r7, r4
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFFFFFFFFF0
  #_ REGISTER_OUT r5 0x00000000000043F0
  #_ REGISTER_OUT r6 0xFFFFFFFF876543F0
  #_ REGISTER_OUT r7 0xEDCBA987789ABC10

test_cntlz:
  #_ REGISTER_IN r4 0xFFFFFFFF00F00000
  #_ REGISTER_IN r5 0
  cntlzw r3, r4
  cntlzw r6, r5
  cntlzd r7, r4
  cntlzd r8, r5
  srdi r9, r4, 40
  cntlzd r10, r9
  blr
  #_ REGISTER_OUT r3 8
  #_ REGISTER_OUT r6 32
  #_ REGISTER_OUT r7 0
  #_ REGISTER_OUT r8 64
  #_ REGISTER_OUT r10 40

test_cntlzw_record:
  #_ REGISTER_IN r4 0
  cntlzw. r3, r4
  mfcr r12
  blr
  #_ REGISTER_OUT r3 32
  #_ REGISTER_OUT r12 0x40000000

test_mr_not:
  #_ REGISTER_IN r4 0x0123456789ABCDEF
  mr r3, r4
  not r5, r4
  blr
  #_ REGISTER_OUT r3 0x0123456789ABCDEF
  #_ REGISTER_OUT r5 0xFEDCBA9876543210
