# A case that runs but checks nothing: it must fail unless its file is listed as excluded.

test_runs_but_checks_nothing:
  li r3, 1
  blr

test_checked:
  li r3, 2
  blr
  #_ REGISTER_OUT r3 2
