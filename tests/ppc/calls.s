# bl/blr nesting: callers save lr in a register or in a stack frame in scratch memory.

test_nested_calls_register_save:
  #_ REGISTER_IN r3 3
  mflr r31
  bl double_then_inc
  bl double_then_inc
  mtlr r31
  blr
double_then_inc:
  mflr r30
  bl double_it
  addi r3, r3, 1
  mtlr r30
  blr
double_it:
  add r3, r3, r3
  blr
  # ((3*2)+1)*2+1 = 15
  #_ REGISTER_OUT r3 15

test_recursive_factorial_stack:
  # fact(n) with a stack frame per call in scratch memory at 0x10002000 downwards
  #_ REGISTER_IN r3 6
  #_ REGISTER_IN r29 0x10002000
  mflr r0
  stwu r0, -16(r29)
  bl fact
  lwz r0, 0(r29)
  addi r29, r29, 16
  mtlr r0
  blr
fact:
  cmpwi r3, 1
  bgt fact_recurse
  li r3, 1
  blr
fact_recurse:
  mflr r0
  stwu r0, -16(r29)
  stw r3, 4(r29)
  addi r3, r3, -1
  bl fact
  lwz r4, 4(r29)
  mullw r3, r3, r4
  lwz r0, 0(r29)
  addi r29, r29, 16
  mtlr r0
  blr
  #_ REGISTER_OUT r3 720
  #_ REGISTER_OUT r29 0x10002000

test_bl_sets_lr_to_next:
  mflr r31
  bl next_insn
next_insn:
  mflr r3
  bl next_insn_2
next_insn_2:
  mflr r4
  subf r5, r3, r4
  mtlr r31
  blr
  #_ REGISTER_OUT r5 8

test_bctrl_call:
  mflr r31
  bl where
where:
  mflr r4
  addi r4, r4, callee - where
  mtctr r4
  li r3, 1
  bctrl
  addi r3, r3, 100
  mtlr r31
  blr
callee:
  addi r3, r3, 10
  blr
  #_ REGISTER_OUT r3 111
