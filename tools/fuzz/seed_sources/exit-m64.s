	.globl _start
	.section .opd, "aw"
	.align 3
_start:
	.quad .L_start, .TOC.@tocbase, 0
	.text
.L_start:
	li 0, 1
	li 3, 7
	sc
	.section .data
	.long 0x12345678
