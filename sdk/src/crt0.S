/* hexad guest SDK: entry point.
 *
 * The kernel enters _start on the title's main thread with r1 = top of a stack of the XEX
 * default stack size (16-byte aligned), LR = a return sentinel, MSR[SF] = 0 (32-bit mode).
 * Nothing else is assumed: the SDK's code uses neither r2 (TLS pointer in the SysV ABI) nor r13
 * (small-data anchor; titles are built with -msdata=none). The loader zero-fills the image, so
 * .bss needs no clearing. _start calls main(0, 0) and returns main's value in r3: returning from
 * the entry point ends the title. */
	.section .text._start,"ax",@progbits
	.globl _start
	.type _start,@function
	.p2align 2
_start:
	mflr 0
	stwu 1,-32(1)
	stw 0,36(1)
	li 0,0
	stw 0,0(1)          /* terminate the back chain for debuggers */
	stw 0,8(1)
	li 3,0
	li 4,0
	bl main
	lwz 0,36(1)
	mtlr 0
	addi 1,1,32
	blr
	.size _start,.-_start

	.section .note.GNU-stack,"",@progbits
