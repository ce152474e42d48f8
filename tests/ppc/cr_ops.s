# Condition-register logical ops, mcrf, mtcrf, mfcr. CR bit n: field n/4, LT GT EQ SO.

test_crand_cror_crxor:
  #_ REGISTER_IN cr 0xA5000000
  # cr0 = 1010 (LT, EQ), cr1 = 0101 (GT, SO)
  crand 8, 0, 2
  cror 9, 1, 3
  crxor 10, 0, 4
  crnand 11, 0, 0
  mfcr r12
  blr
  # bit 8 = 1&1 = 1, bit 9 = 0|0 = 0, bit 10 = 1^0 = 1, bit 11 = !(1&1) = 0 -> cr2 = 1010
  #_ REGISTER_OUT r12 0xA5A00000

test_crnor_creqv_crandc_crorc:
  #_ REGISTER_IN cr 0x0F000000
  crnor 16, 0, 1
  creqv 17, 4, 5
  crandc 18, 4, 0
  crorc 19, 0, 4
  mfcr r12
  blr
  # bit 16 = !(0|0) = 1, bit 17 = (1==1) = 1, bit 18 = 1&!0 = 1, bit 19 = 0|!1 = 0 -> cr4 = 1110
  #_ REGISTER_OUT r12 0x0F00E000

test_crset_crclr_crmove_crnot:
  #_ REGISTER_IN cr 0x80000000
  crset 31
  crclr 0
  crmove 4, 31
  crnot 5, 4
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x08000001

test_mcrf:
  #_ REGISTER_IN cr 0x12345678
  mcrf cr7, cr0
  mcrf cr0, cr6
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x72345671

test_mtcrf_selected_fields:
  #_ REGISTER_IN cr 0x11111111
  #_ REGISTER_IN r4 0xABCDEF98
  mtcrf 0x81, r4
  mfcr r12
  mtcr r4
  mfcr r5
  blr
  #_ REGISTER_OUT r12 0xA1111118
  #_ REGISTER_OUT r5 0xABCDEF98
  #_ REGISTER_OUT cr 0xABCDEF98

test_mfcr_zero_extends:
  #_ REGISTER_IN r12 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_IN cr 0x80000001
  mfcr r12
  blr
  #_ REGISTER_OUT r12 0x80000001

test_mcrxr_style_readback:
  # mfxer/mtxer round trip of SO, OV, CA
  #_ REGISTER_IN r4 0x60000000
  mtxer r4
  mfxer r5
  blr
  #_ REGISTER_OUT r5 0x60000000
  #_ REGISTER_OUT xer 0x60000000
