/* Control flow: dense switches (jump tables through bctr), sparse switches
 * (compare trees), a computed-goto bytecode interpreter, a switch-driven
 * tokenizer state machine and calls through a table of function pointers. */
#include "rt.h"

static int __attribute__((noinline)) dense(int v) {
  switch (v) {
    case 0: return 11;
    case 1: return 23;
    case 2: return -5;
    case 3: return 0x7FFF;
    case 4: return v * v;
    case 5: return 1000;
    case 6: return 17;
    case 7: return -1;
    case 8: return 88;
    case 9: return 99;
    case 10: return 1 << 20;
    case 11: return -(1 << 20);
    case 12: return 12;
    case 13: return 1313;
    case 14: return 4;
    case 15: return 150;
    default: return -999;
  }
}

static unsigned __attribute__((noinline)) dense_char(unsigned char c) {
  switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
    case 'b': case 'c': case 'd': case 'f': case 'g': return 2;
    case 'h': case 'j': case 'k': case 'l': case 'm': return 3;
    case 'n': case 'p': case 'q': case 'r': case 's': return 4;
    case 't': case 'v': case 'w': case 'x': case 'y': case 'z': return 5;
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': return 6;
    default: return 0;
  }
}

static int __attribute__((noinline)) sparse(uint32_t v) {
  switch (v) {
    case 0: return 1;
    case 100: return 2;
    case 1000: return 3;
    case 0x10000: return 4;
    case 0x7FFFFFFF: return 5;
    case 0x80000000u: return 6;
    case 0xFFFFFFFFu: return 7;
    case 31337: return 8;
    default: return 0;
  }
}

/* Bytecode: a tiny stack machine using labels-as-values. */
enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_OVER, OP_SWAP, OP_DEC, OP_JNZ, OP_DROP, OP_HALT };
static int64_t run_bytecode(const int* code) {
  static void* const labels[] = {&&op_push, &&op_add, &&op_mul, &&op_dup, &&op_over, &&op_swap, &&op_dec, &&op_jnz, &&op_drop, &&op_halt};
  int64_t stack[16];
  int sp = 0, pc = 0;
#define NEXT goto* labels[code[pc++]]
  NEXT;
op_push:
  stack[sp++] = code[pc++];
  NEXT;
op_add:
  --sp, stack[sp - 1] += stack[sp];
  NEXT;
op_mul:
  --sp, stack[sp - 1] *= stack[sp];
  NEXT;
op_dup:
  stack[sp] = stack[sp - 1], ++sp;
  NEXT;
op_over:
  stack[sp] = stack[sp - 2], ++sp;
  NEXT;
op_swap : {
  int64_t t = stack[sp - 1];
  stack[sp - 1] = stack[sp - 2], stack[sp - 2] = t;
}
  NEXT;
op_dec:
  stack[sp - 1] -= 1;
  NEXT;
op_jnz:
  if (stack[sp - 1]) pc = code[pc];
  else ++pc;
  NEXT;
op_drop:
  --sp;
  NEXT;
op_halt:
#undef NEXT
  return stack[sp - 1];
}

/* Tokenizer: counts identifiers, numbers (summed), operators, strings. */
typedef struct {
  int idents, numbers, ops, strings;
  long numsum;
} counts;
static counts tokenize(const char* s) {
  enum { START, IDENT, NUMBER, STRING } st = START;
  counts c = {0, 0, 0, 0, 0};
  long num = 0;
  for (;; ++s) {
    char ch = *s;
    switch (st) {
      case START:
        if ((ch >= 'a' && ch <= 'z') || ch == '_') st = IDENT, c.idents++;
        else if (ch >= '0' && ch <= '9') st = NUMBER, num = ch - '0';
        else if (ch == '"') st = STRING;
        else switch (ch) {
            case '+': case '-': case '*': case '/': case '=': case '(': case ')': case ';': c.ops++; break;
            default: break;
          }
        break;
      case IDENT:
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) st = START, --s;
        break;
      case NUMBER:
        if (ch >= '0' && ch <= '9') num = num * 10 + (ch - '0');
        else st = START, c.numbers++, c.numsum += num, --s;
        break;
      case STRING:
        if (ch == '"') st = START, c.strings++;
        break;
    }
    if (!ch && st == START) break;
  }
  return c;
}

static int f_add(int a, int b) { return a + b; }
static int f_sub(int a, int b) { return a - b; }
static int f_mul(int a, int b) { return a * b; }
static int f_xor(int a, int b) { return a ^ b; }
static int f_max(int a, int b) { return a > b ? a : b; }
static int (*const kOps[])(int, int) = {f_add, f_sub, f_mul, f_xor, f_max};

int main(void) {
  int64_t total = 0;
  for (int v = -3; v < 20; ++v) {
    int r = dense(v);
    total += r;
    printf("dense(%d)=%d\n", v, r);
  }
  CHECK(dense(4) == 16 && dense(16) == -999 && dense(-1) == -999);
  const char* text = "the quick brown fox jumps over 13 lazy dogs, 2024!";
  unsigned hist[7] = {0};
  for (const char* p = text; *p; ++p) hist[dense_char((unsigned char)*p)]++;
  printf("char classes: %u %u %u %u %u %u %u\n", hist[0], hist[1], hist[2], hist[3], hist[4], hist[5], hist[6]);
  CHECK(hist[6] == 6);
  static const uint32_t probes[] = {0, 1, 99, 100, 1000, 0x10000, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu, 31337, 31338};
  for (unsigned k = 0; k < ARRAY_SIZE(probes); ++k) printf("sparse(%u)=%d\n", probes[k], sparse(probes[k]));
  CHECK(sparse(31337) == 8 && sparse(99) == 0);

  /* 20! by bytecode: stack [acc n]; loop: swap over mul swap dec jnz. */
  static const int fact[] = {OP_PUSH, 1, OP_PUSH, 20, /* 4: */ OP_SWAP, OP_OVER, OP_MUL, OP_SWAP, OP_DEC, OP_JNZ, 4,
                             OP_DROP, OP_HALT};
  int64_t r = run_bytecode(fact);
  printf("bytecode 20! = %lld\n", (long long)r);
  CHECK(r == 2432902008176640000LL);
  static const int countdown[] = {OP_PUSH, 7, OP_PUSH, 100000, /* 4: */ OP_DEC, OP_SWAP, OP_PUSH, 3, OP_ADD, OP_SWAP, OP_JNZ, 4,
                                  OP_DROP, OP_HALT};
  r = run_bytecode(countdown);
  printf("bytecode countdown = %lld\n", (long long)r);
  CHECK(r == 7 + 3 * 100000);

  counts c = tokenize("x = foo(12, 30) + \"str\" * bar_2 - 7; y=\"a\"+100;");
  printf("tokens: idents %d numbers %d sum %ld ops %d strings %d\n", c.idents, c.numbers, c.numsum, c.ops, c.strings);
  CHECK(c.numsum == 149 && c.strings == 2);

  int acc = 1;
  for (int k = 0; k < 40; ++k) acc = kOps[k % 5](acc, k * 7 - 20);
  printf("op table result %d\n", acc);
  printf("total %lld failures %d\n", (long long)total, rt_failures);
  return rt_failures ? 1 : 0;
}
