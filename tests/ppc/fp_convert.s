# Floating-point conversions, compares, moves and FPSCR instructions (Power ISA Book I ch. 4).
# Values derived from the ISA; cross-checked against qemu-ppc64 where qemu follows the ISA.

test_fctiw_round_nearest_even:
  # FPRF is left unchanged by the conversions to integer (undefined in the ISA)
  #_ REGISTER_IN f2 2.5
  fctiw f3, f2
  blr
  #_ REGISTER_OUT f3 0x0000000000000002
  #_ REGISTER_OUT fpscr 0x82020000

test_fctiw_round_down_negative:
  #_ REGISTER_IN f2 -2.1
  mtfsfi 7, 3
  fctiw f3, f2
  blr
  #_ REGISTER_OUT f3 0xFFFFFFFFFFFFFFFD
  #_ REGISTER_OUT fpscr 0x82060003

test_fctiw_saturates_with_vxcvi:
  #_ REGISTER_IN f2 3000000000.0
  fctiw f3, f2
  blr
  #_ REGISTER_OUT f3 0x7FFFFFFF
  #_ REGISTER_OUT fpscr 0xA0000100

test_fctiwz_snan:
  #_ REGISTER_IN f2 0x7FF0000000000001
  fctiwz f3, f2
  blr
  #_ REGISTER_OUT f3 0xFFFFFFFF80000000
  #_ REGISTER_OUT fpscr 0xA1000100

test_fctid_most_negative_exact:
  #_ REGISTER_IN f2 0xC3E0000000000000
  fctid f3, f2
  blr
  #_ REGISTER_OUT f3 0x8000000000000000
  #_ REGISTER_OUT fpscr 0

test_fcfid_tie:
  # 2^53 + 1 is a tie between 2^53 and 2^53 + 2: even
  #_ REGISTER_IN f2 0x0020000000000001
  fcfid f3, f2
  blr
  #_ REGISTER_OUT f3 0x4340000000000000
  #_ REGISTER_OUT fpscr 0x82024000

test_frsp_snan_quieted_and_cut:
  #_ REGISTER_IN f2 0x7FF0010000000001
  frsp f3, f2
  blr
  #_ REGISTER_OUT f3 0x7FF8010000000000
  #_ REGISTER_OUT fpscr 0xA1011000

test_frsp_single_denormal_class:
  # 2^-140 is exact in single but denormal there: FPRF +denormal
  #_ REGISTER_IN f2 0x3730000000000000
  frsp f3, f2
  blr
  #_ REGISTER_OUT f3 0x3730000000000000
  #_ REGISTER_OUT fpscr 0x00014000

test_fcmpu_qnan_no_exception:
  #_ REGISTER_IN f1 0x7FF8000000000000
  #_ REGISTER_IN f2 1.0
  fcmpu cr3, f1, f2
  mfcr r3
  blr
  #_ REGISTER_OUT r3 0x00010000
  #_ REGISTER_OUT fpscr 0x00001000

test_fcmpo_qnan_vxvc:
  #_ REGISTER_IN f1 0x7FF8000000000000
  #_ REGISTER_IN f2 1.0
  fcmpo cr3, f1, f2
  mfcr r3
  blr
  #_ REGISTER_OUT r3 0x00010000
  #_ REGISTER_OUT fpscr 0xA0081000

test_fcmpo_snan:
  #_ REGISTER_IN f1 1.0
  #_ REGISTER_IN f2 0x7FF0000000000001
  fcmpo cr0, f1, f2
  blr
  #_ REGISTER_OUT fpscr 0xA1081000

test_fcmpu_signed_zeros_equal:
  #_ REGISTER_IN f1 0x8000000000000000
  #_ REGISTER_IN f2 0.0
  fcmpu cr7, f1, f2
  mfcr r3
  blr
  #_ REGISTER_OUT r3 0x00000002
  #_ REGISTER_OUT fpscr 0x00002000

test_moves_keep_snan:
  #_ REGISTER_IN f2 0xFFF0000000000001
  fmr f3, f2
  fneg f4, f2
  fabs f5, f2
  fnabs f6, f4
  blr
  #_ REGISTER_OUT f3 0xFFF0000000000001
  #_ REGISTER_OUT f4 0x7FF0000000000001
  #_ REGISTER_OUT f5 0x7FF0000000000001
  #_ REGISTER_OUT f6 0xFFF0000000000001
  #_ REGISTER_OUT fpscr 0

test_mtfsb1_sets_fx_mcrfs_clears:
  mtfsb1 4
  mtfsb1 1
  mcrfs cr2, cr1
  mcrfs cr3, cr0
  mffs f3
  blr
  #_ REGISTER_OUT cr 0x00880000
  #_ REGISTER_OUT fpscr 0
  #_ REGISTER_OUT f3 0

test_mtfsf_summaries:
  # VXISI and VE from the operand: VX and FEX computed; FX taken from the operand (0)
  #_ REGISTER_IN f1 0x0000000000800080
  mtfsf 0xff, f1
  mffs f3
  blr
  #_ REGISTER_OUT fpscr 0x60800080
  #_ REGISTER_OUT f3 0x60800080
