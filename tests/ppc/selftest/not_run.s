# A file that cannot be assembled (a VMX128-looking mnemonic the encoder does not know), so its
# case is not run: that must fail the run unless the file is listed as excluded.

test_never_runs:
  vnosuchop128 v1, v2, v3
  blr
  #_ REGISTER_OUT r3 0
