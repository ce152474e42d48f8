# Decimal FPR expectations are compared bit for bit (app/conformance/parser.h, parse_fp_value):
# `-0.0` names -0 only, `nan` the default QNaN 0x7FF8000000000000 only, `-nan` its negation.
# The same spellings with the wrong sign or payload are in selftest/fp_bit_exact.s, which has to
# fail case by case.

test_decimal_negative_zero:
  # fneg of +0 is -0 (sign bit flipped, nothing else)
  #_ REGISTER_IN f1 0.0
  fneg f2, f1
  blr
  #_ REGISTER_OUT f2 -0.0
  #_ REGISTER_OUT f1 0.0

test_decimal_default_qnan:
  # inf - inf is an invalid operation (VXISI); with VE=0 the result is the default QNaN
  #_ REGISTER_IN f1 inf
  fsub f3, f1, f1
  fneg f4, f3
  blr
  #_ REGISTER_OUT f3 nan
  #_ REGISTER_OUT f4 -nan
