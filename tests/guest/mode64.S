/* mode64: a title whose code needs the processor's 64-bit mode (MSR[SF]=1), as every console
 * title's does: 64-bit registers, 32-bit addresses. Hand-written, because the SDK's C compiler
 * targets 32-bit mode (docs/sdk.md "Execution environment"); packed with
 * `xexpack --code-mode 64`, so the XEX carries no hexad code-mode header, like a console image.
 *
 * Each check prints "mode64: WHAT = GOT (want WANT) ok|FAIL" with 64-bit values as two 32-bit
 * halves, and main returns the number of failures. Three checks depend on the mode (CR0 and CA
 * from 64-bit results, in the main thread and in a created thread): packed for 32-bit mode the
 * same code fails exactly those three (check_title.py "mode64_as32"). The others check what
 * holds in both modes but matters most in 64-bit code: sign-extended addresses from `lis` and
 * addresses with garbage upper halves wrap into the 4 GiB guest space, kernel arguments use
 * their registers' low words, a 64-bit result comes back in one register, and DbgPrint reads
 * variadic arguments by the console's convention (one register each, then 8-byte slots of the
 * caller's parameter save area from r1+0x50). */
	.machine ppc64

/* An import thunk, as sdk/include/hx/import.h's HX_IMPORT writes it: a record word naming the
 * module and ordinal, which xexpack turns into an import and the kernel into `sc` code. */
	.macro HX_THUNK mod, ord, sym
	.pushsection .xthunk.\sym,"ax",@progbits
	.globl \sym
	.type \sym,@function
	.p2align 4
\sym:
	.long 0x01000000 | (\mod << 16) | (\ord)
	.long 0x7fe00008, 0x7fe00008, 0x7fe00008
	.size \sym,16
	.popsection
	.endm

	HX_THUNK 0, 0x0003, DbgPrint
	HX_THUNK 0, 0x000D, ExCreateThread
	HX_THUNK 0, 0x0083, KeQueryPerformanceFrequency
	HX_THUNK 0, 0x00D1, NtCreateEvent
	HX_THUNK 0, 0x00FD, NtWaitForSingleObjectEx
	HX_THUNK 0, 0x00CF, NtClose

/* r = address of sym (sign-extended by lis: 0xFFFFFFFF82...... in 64-bit registers). */
	.macro ADDR r, sym
	lis \r,\sym@ha
	addi \r,\r,\sym@l
	.endm

/* expect(WHAT, GOT, WANT): checks GOT == WANT (r4, r5) and prints. Does not use the caller's
 * frame; clobbers r0 and r3..r12 (keep values across it in r31). */
	.macro EXPECT what
	ADDR 3,\what
	bl expect
	.endm

	.section .text.mode64,"ax",@progbits
	.p2align 2
expect:
	stdu 1,-128(1)
	mflr 0
	std 0,112(1)
	mr 11,4
	mr 12,5
	ADDR 9,str_ok
	cmpd 11,12
	beq 1f
	ADDR 9,str_fail
	ADDR 10,failures
	lwz 8,0(10)
	addi 8,8,1
	stw 8,0(10)
1:	mr 4,3
	srdi 5,11,32
	clrldi 6,11,32
	srdi 7,12,32
	clrldi 8,12,32
	ADDR 3,fmt_expect
	bl DbgPrint
	ld 0,112(1)
	mtlr 0
	addi 1,1,128
	blr

/* The created thread: CR0 of 0x7FFFFFFF + 0x7FFFFFFF (its start context) into thread_cr0. */
	.p2align 2
thread_entry:
	add. 4,3,3
	mfcr 5
	rlwinm 5,5,4,28,31
	ADDR 6,thread_cr0
	stw 5,0(6)
	li 3,0
	blr

	.globl main
	.type main,@function
	.p2align 2
main:
	stdu 1,-256(1)
	mflr 0
	std 0,240(1)
	std 31,232(1)

	/* 1. add. sets CR0 from the 64-bit result: 0xFFFFFFFE is positive (GT = 4). */
	lis 3,0x7FFF
	ori 3,3,0xFFFF
	add. 4,3,3
	mfcr 4
	rlwinm 4,4,4,28,31
	li 5,4
	EXPECT w_cr0

	/* 2. addic's carry comes out of bit 63: 0xFFFFFFFF + 1 carries nothing. */
	li 3,-1
	clrldi 3,3,32
	addic 31,3,1
	mfxer 4
	rlwinm 4,4,3,31,31
	li 5,0
	EXPECT w_carry
	mr 4,31              /* and the sum keeps bit 32 */
	li 5,1
	sldi 5,5,32
	EXPECT w_carry_sum

	/* 3. mulld, divd, sld, srad on full registers. */
	lis 3,0x1234
	ori 3,3,0x5678
	lis 4,0x9ABC
	ori 4,4,0xDEF0
	clrldi 4,4,32
	mulld 4,3,4
	lis 5,0x0B00
	ori 5,5,0xEA4E
	sldi 5,5,32
	oris 5,5,0x242D
	ori 5,5,0x2080
	EXPECT w_mulld
	li 3,-1
	sldi 3,3,32          /* -0x100000000 */
	li 6,3
	divd 4,3,6
	lis 5,0xAAAA         /* -0x55555555 = 0xFFFFFFFFAAAAAAAB */
	ori 5,5,0xAAAB
	EXPECT w_divd
	li 3,1
	li 6,40
	sld 4,3,6
	li 5,1
	sldi 5,5,40
	EXPECT w_sld
	li 3,-256
	li 6,36
	srad 4,3,6
	li 5,-1
	EXPECT w_srad

	/* 4. cmpdi sees all 64 bits, cmpwi the low word: 0x100000000. */
	li 3,1
	sldi 3,3,32
	cmpdi 3,0
	mfcr 4
	rlwinm 4,4,4,28,31
	li 5,4
	EXPECT w_cmpd
	cmpwi 3,0
	mfcr 4
	rlwinm 4,4,4,28,31
	li 5,2
	EXPECT w_cmpw

	/* 5. Addresses: lis sign-extends, and garbage upper halves wrap into the 4 GiB space. */
	ADDR 31,data_word
	lwz 4,0(31)
	lis 5,0xCAFE
	ori 5,5,0xBABE
	clrldi 5,5,32
	EXPECT w_ea_lis
	lis 6,0x1234
	ori 6,6,0x5678
	sldi 6,6,32
	clrldi 7,31,32
	add 7,7,6            /* 0x12345678_82xxxxxx */
	lwz 4,0(7)
	lis 5,0xCAFE
	ori 5,5,0xBABE
	clrldi 5,5,32
	EXPECT w_ea_wrap

	/* 6. std/ld round trip, big-endian halves. */
	lis 3,0x0123
	ori 3,3,0x4567
	sldi 3,3,32
	oris 3,3,0x89AB
	ori 3,3,0xCDEF
	std 3,128(1)
	ld 4,128(1)
	mr 5,3
	EXPECT w_ld
	lwz 4,128(1)
	lis 5,0x0123
	ori 5,5,0x4567
	EXPECT w_ld_hi

	/* 7. A 64-bit result comes back in one register. */
	bl KeQueryPerformanceFrequency
	mr 4,3
	lis 5,0x02FA
	ori 5,5,0xF080       /* 50,000,000 */
	EXPECT w_perf_freq

	/* 8. Kernel arguments are their registers' low words: an event created and waited on
	 *    through pointers and a handle with garbage upper halves. */
	li 6,-1
	sldi 6,6,32          /* 0xFFFFFFFF00000000 */
	addi 3,1,136
	or 3,3,6             /* &handle, upper half set */
	li 4,0               /* no attributes */
	li 5,0               /* notification event */
	li 6,1               /* signaled */
	bl NtCreateEvent
	mr 4,3
	li 5,0
	EXPECT w_create_event
	lwz 3,136(1)
	lis 6,0xDEAD
	sldi 6,6,32
	or 3,3,6             /* handle | 0xDEAD0000_00000000 */
	li 4,1               /* UserMode */
	li 5,0               /* not alertable */
	li 6,0               /* no timeout */
	bl NtWaitForSingleObjectEx
	mr 4,3
	li 5,0
	EXPECT w_wait_event
	lwz 3,136(1)
	bl NtClose

	/* 9. A created thread runs in the image's mode too. */
	addi 3,1,136         /* handle */
	li 4,0               /* default stack */
	li 5,0               /* no thread id */
	li 6,0               /* no XAPI startup */
	ADDR 7,thread_entry
	lis 8,0x7FFF
	ori 8,8,0xFFFF       /* start context */
	li 9,0               /* flags */
	bl ExCreateThread
	mr 4,3
	li 5,0
	EXPECT w_create_thread
	lwz 3,136(1)
	li 4,1
	li 5,0
	li 6,0
	bl NtWaitForSingleObjectEx
	ADDR 3,thread_cr0
	lwz 4,0(3)
	li 5,4
	EXPECT w_thread_cr0

	/* 10. DbgPrint by the console's convention: %llx takes one register, and the 8th and later
	 *     variadic arguments are 8-byte slots from r1+0x50 (32-bit ones their low word). */
	ADDR 3,fmt_llx
	lis 4,0x0123
	ori 4,4,0x4567
	sldi 4,4,32
	oris 4,4,0x89AB
	ori 4,4,0xCDEF
	li 5,7
	bl DbgPrint
	li 0,-1
	sldi 0,0,32          /* upper words of the slots: ignored */
	ori 11,0,8
	std 11,0x50(1)
	ori 11,0,9
	std 11,0x58(1)
	lis 11,0x0A0B
	ori 11,11,0x0C0D
	sldi 11,11,32
	oris 11,11,0x0E0F
	ori 11,11,0x1011
	std 11,0x60(1)
	ADDR 3,fmt_stack
	li 4,1
	li 5,2
	li 6,3
	li 7,4
	li 8,5
	li 9,6
	li 10,7
	bl DbgPrint

	ADDR 3,failures
	lwz 3,0(3)
	ld 31,232(1)
	ld 0,240(1)
	mtlr 0
	addi 1,1,256
	blr
	.size main,.-main

	.section .rodata.mode64,"a",@progbits
fmt_expect: .asciz "mode64: %s = %08x%08x (want %08x%08x) %s\n"
fmt_llx:    .asciz "mode64: llx %llx then %d\n"
fmt_stack:  .asciz "mode64: stack args %d %d %d %d %d %d %d %d %d %llx\n"
str_ok:     .asciz "ok"
str_fail:   .asciz "FAIL"
w_cr0:      .asciz "add. sets CR0 from 64 bits"
w_carry:    .asciz "addic carries out of bit 63"
w_carry_sum: .asciz "addic keeps bit 32"
w_mulld:    .asciz "mulld"
w_divd:     .asciz "divd"
w_sld:      .asciz "sld"
w_srad:     .asciz "srad"
w_cmpd:     .asciz "cmpdi sees 64 bits"
w_cmpw:     .asciz "cmpwi sees the low word"
w_ea_lis:   .asciz "load through a sign-extended lis address"
w_ea_wrap:  .asciz "load through an address with upper bits set"
w_ld:       .asciz "std then ld"
w_ld_hi:    .asciz "lwz reads the high word first"
w_perf_freq: .asciz "KeQueryPerformanceFrequency in one register"
w_create_event: .asciz "NtCreateEvent through a pointer with upper bits set"
w_wait_event: .asciz "wait on a handle with upper bits set"
w_create_thread: .asciz "ExCreateThread"
w_thread_cr0: .asciz "thread runs in 64-bit mode"

	.section .data.mode64,"aw",@progbits
	.p2align 2
data_word:  .long 0xCAFEBABE
failures:   .long 0
thread_cr0: .long 0

	.section .note.GNU-stack,"",@progbits
