# Rotates and shifts. The 32-bit rotates rotate the low word and, when the mask wraps, the mask
# also selects the high word, which holds a copy of the rotated word (ISA rlwinm: ROTL32 = the
# rotated word in both halves).

test_rlwinm_extract_byte:
  #_ REGISTER_IN r4 0x12345678
  rlwinm r3, r4, 8, 24, 31
  blr
  #_ REGISTER_OUT r3 0x12

test_rlwinm_slwi_clears_high_word:
  #_ REGISTER_IN r4 0xFFFFFFFF89ABCDEF
  slwi r3, r4, 4
  blr
  #_ REGISTER_OUT r3 0x9ABCDEF0

test_rlwinm_wrapping_mask:
  #_ REGISTER_IN r4 0x89ABCDEF
  rlwinm r3, r4, 0, 28, 3
  blr
  #_ REGISTER_OUT r3 0x89ABCDEF8000000F

test_rlwinm_record:
  #_ REGISTER_IN r4 0x000000F0
  rlwinm. r3, r4, 0, 28, 31
  mfcr r12
  blr
  #_ REGISTER_OUT r3 0
  #_ REGISTER_OUT r12 0x20000000

test_rlwnm_by_register:
  #_ REGISTER_IN r4 0x12345678
  #_ REGISTER_IN r5 0xFFFFFFF0
  rlwnm r3, r4, r5, 0, 31
  blr
  # only the low 5 bits of r5 count: rotate by 16
  #_ REGISTER_OUT r3 0x56781234

test_rlwimi_insert:
  #_ REGISTER_IN r3 0x11223344
  #_ REGISTER_IN r4 0xAABBCCDD
  rlwimi r3, r4, 8, 16, 23
  blr
  #_ REGISTER_OUT r3 0x1122DD44

test_rldicl_rotate:
  #_ REGISTER_IN r4 0x0123456789ABCDEF
  rldicl r3, r4, 8, 0
  clrldi r5, r4, 32
  srdi r6, r4, 4
  blr
  #_ REGISTER_OUT r3 0x23456789ABCDEF01
  #_ REGISTER_OUT r5 0x89ABCDEF
  #_ REGISTER_OUT r6 0x00123456789ABCDE

test_rldicr_rldic:
  #_ REGISTER_IN r4 0x0123456789ABCDEF
  rldicr r3, r4, 16, 47
  rldic r5, r4, 8, 16
  sldi r6, r4, 60
  blr
  #_ REGISTER_OUT r3 0x456789ABCDEF0000
  #_ REGISTER_OUT r5 0x00006789ABCDEF00
  #_ REGISTER_OUT r6 0xF000000000000000

test_rldimi_insert_high_word:
  #_ REGISTER_IN r3 0x0123456789ABCDEF
  #_ REGISTER_IN r4 0xAAAAAAAA
  rldimi r3, r4, 32, 0
  blr
  #_ REGISTER_OUT r3 0xAAAAAAAA89ABCDEF

test_slw_srw_large_amounts:
  # shift amounts 32..63 give 0; bit 58 of rB (value 32) counts, higher bits do not
  #_ REGISTER_IN r4 0xFFFFFFFF
  #_ REGISTER_IN r5 32
  #_ REGISTER_IN r6 0x41
  slw r3, r4, r5
  srw r7, r4, r5
  slw r8, r4, r6
  blr
  #_ REGISTER_OUT r3 0
  #_ REGISTER_OUT r7 0
  #_ REGISTER_OUT r8 0xFFFFFFFE

test_sld_srd_srad:
  #_ REGISTER_IN r4 0x8000000000000010
  #_ REGISTER_IN r5 4
  #_ REGISTER_IN r6 64
  sld r3, r4, r5
  srd r7, r4, r5
  srad r8, r4, r5
  addze r9, r0
  sld r10, r4, r6
  srad r11, r4, r6
  blr
  #_ REGISTER_OUT r3 0x0000000000000100
  #_ REGISTER_OUT r7 0x0800000000000001
  #_ REGISTER_OUT r8 0xF800000000000001
  #_ REGISTER_OUT r9 0
  #_ REGISTER_OUT r10 0
  #_ REGISTER_OUT r11 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_OUT xer 0x20000000

test_sradi_carry:
  #_ REGISTER_IN r4 0xFFFFFFFFFFFFFFFF
  sradi r3, r4, 63
  blr
  #_ REGISTER_OUT r3 0xFFFFFFFFFFFFFFFF
  #_ REGISTER_OUT xer 0x20000000

test_srawi_positive_no_carry:
  #_ REGISTER_IN r4 0xFFFFFFFF7FFFFFFF
  srawi r3, r4, 4
  blr
  # sign comes from bit 32 (the low word's sign), not bit 0
  #_ REGISTER_OUT r3 0x07FFFFFF
  #_ REGISTER_OUT xer 0
