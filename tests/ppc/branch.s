# Branches: conditional forms, ctr loops, indirect branches.

test_bdnz_sum:
  # sum 1..10 with a ctr loop
  #_ REGISTER_IN r4 10
  mtctr r4
  li r3, 0
  li r5, 0
sum_loop:
  addi r5, r5, 1
  add r3, r3, r5
  bdnz sum_loop
  mfctr r6
  blr
  #_ REGISTER_OUT r3 55
  #_ REGISTER_OUT r5 10
  #_ REGISTER_OUT r6 0
  #_ REGISTER_OUT ctr 0

test_bdnz_ctr_low_word_32:
  # 32-bit mode: the ctr test uses the low 32 bits, so 0x1_00000001 runs once
  #_ MODE 32
  #_ REGISTER_IN ctr 0x100000001
  li r3, 0
loop32:
  addi r3, r3, 1
  bdnz loop32
  blr
  #_ REGISTER_OUT r3 1
  #_ REGISTER_OUT ctr 0x100000000

test_bdnz_ctr_64:
  # 64-bit mode: counts the whole register down (0x1_00000001 - 1 is not zero)
  #_ MODE 64
  #_ REGISTER_IN ctr 0x100000001
  li r3, 0
loop64:
  addi r3, r3, 1
  bdnz loop64_done
  b loop64_out
loop64_done:
  li r4, 1
loop64_out:
  blr
  #_ REGISTER_OUT r3 1
  #_ REGISTER_OUT r4 1
  #_ REGISTER_OUT ctr 0x100000000

test_bdz_and_bdnzt:
  #_ REGISTER_IN ctr 2
  #_ REGISTER_IN cr 0x20000000
  li r3, 0
  bdz not_taken_1
  li r3, 1
  bdnzt eq, not_taken_2
  li r4, 2
  blr
not_taken_1:
  li r3, 100
  blr
not_taken_2:
  li r4, 200
  blr
  # first bdz: ctr 2 -> 1, not zero: falls through. bdnzt: ctr 1 -> 0, zero: falls through
  #_ REGISTER_OUT r3 1
  #_ REGISTER_OUT r4 2
  #_ REGISTER_OUT ctr 0

test_conditional_branches:
  #_ REGISTER_IN r4 5
  li r3, 0
  cmpwi cr3, r4, 5
  bne cr3, skip_1
  ori r3, r3, 1
skip_1:
  blt cr3, skip_2
  ori r3, r3, 2
skip_2:
  bge cr3, skip_3
  ori r3, r3, 4
skip_3:
  cmpwi r4, 6
  bgt skip_4
  ori r3, r3, 8
skip_4:
  bso cr3, skip_5
  ori r3, r3, 16
skip_5:
  blr
  #_ REGISTER_OUT r3 27

test_bctr_computed:
  # branch through ctr to one of two targets
  #_ REGISTER_IN r4 1
  mflr r31
  bl get_pc
get_pc:
  mflr r5
  cmpwi r4, 0
  addi r6, r5, target_b - get_pc
  beq use_b
  addi r6, r5, target_a - get_pc
use_b:
  mtctr r6
  li r3, 0
  bctr
target_a:
  li r3, 0xA
  b computed_done
target_b:
  li r3, 0xB
computed_done:
  mtlr r31
  blr
  #_ REGISTER_OUT r3 0xA

test_bclr_conditional_return:
  # beqlr returns early when cr0.EQ is set
  #_ REGISTER_IN r4 0
  li r3, 1
  cmpwi r4, 0
  beqlr
  li r3, 2
  blr
  #_ REGISTER_OUT r3 1

test_bcctr_conditional:
  #_ REGISTER_IN r4 1
  li r3, 0
  mflr r31
  bl here
here:
  mflr r5
  addi r5, r5, bcctr_target - here
  mtctr r5
  cmpwi r4, 1
  mtlr r31
  bnectr
  li r3, 7
  beqctr
  li r3, 9
bcctr_target:
  addi r3, r3, 1
  blr
  #_ REGISTER_OUT r3 8
