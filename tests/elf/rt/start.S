/* Process entry for the freestanding test runtime.
 *
 * The Linux kernel (and qemu-user / hexad) enter _start with r1 pointing at
 * argc, followed by argv[], NULL, envp[], NULL, auxv.  We compute argc/argv/
 * envp from the stack, realign r1, build an empty back-chain frame and call
 * __rt_main(argc, argv, envp), which never returns (it calls exit_group).
 */
#ifdef __powerpc64__
        /* ELFv1: the entry symbol is a function descriptor in .opd. */
        .section ".opd", "aw"
        .align  3
        .globl  _start
        .type   _start, @function
_start:
        .quad   .L_start_code, .TOC.@tocbase, 0

        .text
        .align  2
.L_start_code:
        ld      %r3, 0(%r1)          /* argc */
        addi    %r4, %r1, 8          /* argv */
        sldi    %r5, %r3, 3
        add     %r5, %r5, %r4
        addi    %r5, %r5, 8          /* envp = argv + argc + 1 */
        clrrdi  %r1, %r1, 4
        li      %r0, 0
        stdu    %r0, -128(%r1)       /* ELFv1 minimum frame is 112 bytes */
        bl      __rt_main
        nop
        trap
        .size   _start, 24
#else
        .text
        .align  2
        .globl  _start
        .type   _start, @function
_start:
        lwz     %r3, 0(%r1)          /* argc */
        addi    %r4, %r1, 4          /* argv */
        slwi    %r5, %r3, 2
        add     %r5, %r5, %r4
        addi    %r5, %r5, 4          /* envp = argv + argc + 1 */
        clrrwi  %r1, %r1, 4
        li      %r0, 0
        stwu    %r0, -16(%r1)
        bl      __rt_main
        trap
        .size   _start, . - _start
#endif
        .section .note.GNU-stack, "", @progbits
