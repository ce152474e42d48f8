# A file whose only case is commented out: it must fail unless listed as excluded.
#test_disabled:
#  li r3, 1
#  blr
#  #_ REGISTER_OUT r3 1
