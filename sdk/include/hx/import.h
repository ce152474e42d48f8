/* hexad guest SDK: kernel import declarations.
 *
 * HX_IMPORT(module, ordinal, name, ret, params) declares `ret name params;` and emits a 16-byte
 * function thunk for it in its own COMDAT section `.xthunk.<name>`:
 *
 *   word 0   0x01MMOOOO   type 1 (function thunk), SDK module id MM, export ordinal OOOO
 *   word 1-3 0x7FE00008   `trap` (executed only if nothing rewrote the thunk)
 *
 * xexpack finds the thunks (the linker script gathers them into the output section `.xthunk`),
 * builds the XEX2 import libraries from them and rewrites MM as the XEX import library index.
 * The kernel rewrites the whole thunk at load time. Unused thunks are dropped by --gc-sections;
 * the COMDAT group keeps one copy when several translation units declare the same import.
 *
 * HX_IMPORT_VAR(module, ordinal, name, type) declares a kernel variable export: a 4-byte slot
 * `__imp_<name>` in section `.ximpvar` holding 0x00MMOOOO, which the kernel replaces with the
 * variable's guest address. Use it as `*__imp_<name>` (or through a macro the header defines).
 *
 * HX_IMPORT_U64(module, ordinal, name, params) is for exports that return a 64-bit value in one
 * 64-bit register (the console ABI): it emits the thunk as `__hx64_<name>` and a wrapper `name`
 * returning unsigned long long in the 32-bit SysV register pair r3:r4.
 *
 * Only 32-bit (or smaller) arguments may be passed by value: the 32-bit SysV ABI splits 64-bit
 * arguments over two registers, the console ABI does not. Pass 64-bit values by pointer, as the
 * NT API does (PLARGE_INTEGER).
 */
#ifndef HX_IMPORT_H
#define HX_IMPORT_H

/* SDK module ids (xexpack maps each id to a library name). */
#define HX_MODULE_xboxkrnl 0
#define HX_MODULE_xam 1

#define HX_STR_(x) #x
#define HX_STR(x) HX_STR_(x)

#define HX_THUNK_ASM_(mod, ord, sym)                                                        \
  ".pushsection .xthunk." #sym ",\"axG\",@progbits," #sym ",comdat\n"                      \
  "\t.globl " #sym "\n"                                                                     \
  "\t.type " #sym ",@function\n"                                                            \
  "\t.p2align 4\n" #sym ":\n"                                                               \
  "\t.long 0x01000000 | (" HX_STR(HX_MODULE_##mod) " << 16) | (" #ord ")\n"                  \
  "\t.long 0x7fe00008, 0x7fe00008, 0x7fe00008\n"                                            \
  "\t.size " #sym ",16\n"                                                                   \
  ".popsection\n"

#define HX_IMPORT(mod, ord, name, ret, params) \
  ret name params;                             \
  __asm__(HX_THUNK_ASM_(mod, ord, name))

#define HX_IMPORT_VAR(mod, ord, name, type)                                                  \
  extern type* const volatile __imp_##name;                                                 \
  __asm__(".pushsection .ximpvar." #name ",\"awG\",@progbits,__imp_" #name ",comdat\n"     \
          "\t.globl __imp_" #name "\n"                                                      \
          "\t.type __imp_" #name ",@object\n"                                               \
          "\t.p2align 2\n__imp_" #name ":\n"                                                \
          "\t.long (" HX_STR(HX_MODULE_##mod) " << 16) | (" #ord ")\n"                       \
          "\t.size __imp_" #name ",4\n"                                                     \
          ".popsection\n")

/* The wrapper saves LR, calls the thunk, then splits the 64-bit r3 into r3 (high) : r4 (low).
 * rldicl is a 64-bit instruction; it is valid in 32-bit mode (MSR[SF]=0) on the Xenon. */
#define HX_IMPORT_U64(mod, ord, name, params)                                                \
  unsigned long long name params;                                                           \
  __asm__(HX_THUNK_ASM_(mod, ord, __hx64_##name)                                            \
          ".pushsection .text.__hx64w_" #name ",\"axG\",@progbits,__hx64w_" #name ",comdat\n" \
          "\t.globl " #name "\n"                                                            \
          "\t.type " #name ",@function\n"                                                   \
          "\t.p2align 2\n" #name ":\n"                                                      \
          "\tmflr 0\n"                                                                      \
          "\tstwu 1,-16(1)\n"                                                               \
          "\tstw 0,20(1)\n"                                                                 \
          "\tbl __hx64_" #name "\n"                                                         \
          "\tmr 4,3\n"                                                                      \
          "\t.machine push\n\t.machine ppc64\n"                                             \
          "\trldicl 3,3,32,32\n"                                                            \
          "\t.machine pop\n"                                                                \
          "\tlwz 0,20(1)\n"                                                                 \
          "\tmtlr 0\n"                                                                      \
          "\taddi 1,1,16\n"                                                                 \
          "\tblr\n"                                                                         \
          "\t.size " #name ",.-" #name "\n"                                                 \
          ".popsection\n")

#endif
