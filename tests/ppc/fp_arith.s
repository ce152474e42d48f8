# Scalar floating-point arithmetic (Power ISA Book I ch. 4): rounding modes via mtfsfi, FR/FI,
# NaN propagation order, default QNaN, fused multiply-add rounded once (double and single),
# Rc=1 (CR1 = FPSCR[FX,FEX,VX,OX]). Values derived from the ISA; the same paths were
# cross-checked against qemu-ppc64 -cpu power7 by a differential run.

test_fadd_tie_round_nearest:
  # 1 + 2^-53 is a tie: to even (1.0); inexact: FX XX FI, FPRF +normal
  #_ REGISTER_IN f1 0x3FF0000000000000
  #_ REGISTER_IN f2 0x3CA0000000000000
  fadd f3, f1, f2
  blr
  #_ REGISTER_OUT f3 0x3FF0000000000000
  #_ REGISTER_OUT fpscr 0x82024000

test_fadd_round_up:
  #_ REGISTER_IN f1 0x3FF0000000000000
  #_ REGISTER_IN f2 0x3CA0000000000000
  mtfsfi 7, 2
  fadd f3, f1, f2
  blr
  #_ REGISTER_OUT f3 0x3FF0000000000001
  #_ REGISTER_OUT fpscr 0x82064002

test_fsub_exact_zero_round_down:
  # x - x is -0 when rounding toward -infinity
  #_ REGISTER_IN f1 2.0
  mtfsfi 7, 3
  fsub f3, f1, f1
  blr
  #_ REGISTER_OUT f3 0x8000000000000000
  #_ REGISTER_OUT fpscr 0x00012003

test_fadd_nan_order_and_snan:
  # frA (QNaN) wins over frB (SNaN); the SNaN still raises VXSNAN
  #_ REGISTER_IN f1 0x7FF8000000000AAA
  #_ REGISTER_IN f2 0x7FF0000000000BBB
  fadd. f3, f1, f2
  mfcr r3
  blr
  #_ REGISTER_OUT f3 0x7FF8000000000AAA
  #_ REGISTER_OUT fpscr 0xA1011000
  #_ REGISTER_OUT r3 0x0A000000

test_fmul_inf_times_zero:
  #_ REGISTER_IN f1 0x7FF0000000000000
  #_ REGISTER_IN f2 0.0
  fmul f3, f1, f2
  blr
  #_ REGISTER_OUT f3 0x7FF8000000000000
  #_ REGISTER_OUT fpscr 0xA0111000

test_fdiv_by_zero:
  #_ REGISTER_IN f1 -1.0
  #_ REGISTER_IN f2 0.0
  fdiv f3, f1, f2
  blr
  #_ REGISTER_OUT f3 0xFFF0000000000000
  #_ REGISTER_OUT fpscr 0x84009000

test_fmadd_single_rounding_double:
  # (1 + 2^-30)^2 - (1 + 2^-29) = 2^-60 exactly
  #_ REGISTER_IN f1 0x3FF0000000400000
  #_ REGISTER_IN f2 0xBFF0000000800000
  fmadd f3, f1, f1, f2
  blr
  #_ REGISTER_OUT f3 0x3C30000000000000
  #_ REGISTER_OUT fpscr 0x00004000

test_fmadds_no_double_rounding:
  # (1 + 2^-24)(1 + 2^-36) - 2^-36 = 1 + 2^-24 + 2^-60: just above the single midpoint, so the
  # single result is 1 + 2^-23 (rounding to double first would give 1.0)
  #_ REGISTER_IN f1 0x3FF0000010000000
  #_ REGISTER_IN f4 0x3FF0000000010000
  #_ REGISTER_IN f2 0xBDB0000000000000
  fmadds f3, f1, f4, f2
  blr
  #_ REGISTER_OUT f3 0x3FF0000020000000
  #_ REGISTER_OUT fpscr 0x82064000

test_fnmadd_nan_sign_kept:
  #_ REGISTER_IN f1 0x7FF8000000000001
  #_ REGISTER_IN f2 1.0
  #_ REGISTER_IN f4 1.0
  fnmadd f3, f1, f4, f2
  blr
  #_ REGISTER_OUT f3 0x7FF8000000000001

test_fmuls_single_overflow_cr1:
  # 2^100 * 2^100 overflows single: +inf, OX XX FR FI; CR1 = FX,OX
  #_ REGISTER_IN f1 0x4630000000000000
  fmuls. f3, f1, f1
  mfcr r3
  blr
  #_ REGISTER_OUT f3 0x7FF0000000000000
  #_ REGISTER_OUT fpscr 0x92065000
  #_ REGISTER_OUT r3 0x09000000

test_fmul_underflow_tiny_before_rounding:
  # (2^-1021 - 2^-1074) * 0.5 rounds up to the smallest normal but was tiny: UX
  #_ REGISTER_IN f1 0x001FFFFFFFFFFFFF
  #_ REGISTER_IN f2 0.5
  fmul f3, f1, f2
  blr
  #_ REGISTER_OUT f3 0x0010000000000000
  #_ REGISTER_OUT fpscr 0x8A064000

test_fsqrt_negative:
  #_ REGISTER_IN f2 -4.0
  fsqrt f3, f2
  blr
  #_ REGISTER_OUT f3 0x7FF8000000000000
  #_ REGISTER_OUT fpscr 0xA0011200

test_fsqrts_two:
  #_ REGISTER_IN f2 2.0
  fsqrts f3, f2
  blr
  #_ REGISTER_OUT f3 0x3FF6A09E60000000

test_fres_and_frsqrte_exact_cases:
  #_ REGISTER_IN f2 4.0
  fres f3, f2
  frsqrte f4, f2
  blr
  #_ REGISTER_OUT f3 0.25
  #_ REGISTER_OUT f4 0.5

test_fsel_negative_zero_selects_frc:
  #_ REGISTER_IN f1 0x8000000000000000
  #_ REGISTER_IN f2 2.0
  #_ REGISTER_IN f4 4.0
  fsel f3, f1, f4, f2
  blr
  #_ REGISTER_OUT f3 4.0
