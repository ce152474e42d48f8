# Every case here must FAIL (ctest ppc_selftest.fp_bit_exact compares the report): each result differs
# from its decimal expectation only in the sign of a zero or in a NaN's sign or payload, which a
# comparison by value would let through.

test_negative_zero_is_not_zero:
  #_ REGISTER_IN f1 0.0
  fneg f2, f1
  blr
  #_ REGISTER_OUT f2 0.0

test_zero_is_not_negative_zero:
  #_ REGISTER_IN f1 0.0
  fmr f2, f1
  blr
  #_ REGISTER_OUT f2 -0.0

test_payload_is_not_default_qnan:
  # a propagated QNaN keeps its payload
  #_ REGISTER_IN f1 0x7FF8000000001234
  #_ REGISTER_IN f2 1.0
  fadd f3, f1, f2
  blr
  #_ REGISTER_OUT f3 nan

test_negative_qnan_is_not_qnan:
  #_ REGISTER_IN f1 inf
  fsub f3, f1, f1
  fneg f3, f3
  blr
  #_ REGISTER_OUT f3 nan
