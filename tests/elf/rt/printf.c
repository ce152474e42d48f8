/* A small printf: flags "-0+ #", width and precision (numbers or '*'),
 * length modifiers hh h l ll z t j, conversions d i u x X o c s p %.
 * stdout is line-buffered through write(2). */
#include "rt.h"

typedef struct {
  int to_stdout;
  char* buf;
  size_t size;  /* capacity of buf (snprintf) */
  size_t len;   /* characters produced so far */
} sink;

static char out_buf[512];
static size_t out_len;

void fflush_stdout(void) {
  size_t done = 0;
  while (done < out_len) {
    long r = write(1, out_buf + done, out_len - done);
    if (r <= 0) break;
    done += (size_t)r;
  }
  out_len = 0;
}

static void put(sink* s, char c) {
  if (!s->to_stdout) {
    if (s->len + 1 < s->size) s->buf[s->len] = c;
  } else {
    out_buf[out_len++] = c;
    if (c == '\n' || out_len == sizeof(out_buf)) fflush_stdout();
  }
  s->len++;
}

static void pad(sink* s, char c, int n) {
  while (n-- > 0) put(s, c);
}

/* Formats the magnitude v in base; digits written backwards into tmp. */
static int to_digits(char* tmp, unsigned long long v, unsigned base, int upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int n = 0;
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v);
  return n;
}

typedef struct {
  int left, zero, plus, space, alt;
  int width, prec; /* prec < 0: none */
} spec;

static void emit_number(sink* s, const spec* sp, unsigned long long mag, int neg, unsigned base, int upper,
                        int is_pointer) {
  char tmp[24];
  int nd = (sp->prec == 0 && mag == 0) ? 0 : to_digits(tmp, mag, base, upper);
  int zeros = sp->prec > nd ? sp->prec - nd : 0;
  const char* prefix = "";
  if (neg) prefix = "-";
  else if (sp->plus && base == 10 && !is_pointer) prefix = "+";
  else if (sp->space && base == 10 && !is_pointer) prefix = " ";
  else if ((sp->alt && base == 16 && mag) || is_pointer) prefix = upper ? "0X" : "0x";
  else if (sp->alt && base == 8 && zeros == 0 && (nd == 0 || tmp[nd - 1] != '0')) zeros = 1;
  int plen = (int)strlen(prefix);
  int body = plen + zeros + nd;
  if (sp->zero && !sp->left && sp->prec < 0 && sp->width > body) {
    zeros += sp->width - body;
    body = sp->width;
  }
  if (!sp->left) pad(s, ' ', sp->width - body);
  for (int k = 0; k < plen; ++k) put(s, prefix[k]);
  pad(s, '0', zeros);
  while (nd) put(s, tmp[--nd]);
  if (sp->left) pad(s, ' ', sp->width - body);
}

static int format(sink* s, const char* f, va_list ap) {
  for (; *f; ++f) {
    if (*f != '%') {
      put(s, *f);
      continue;
    }
    spec sp = {0, 0, 0, 0, 0, 0, -1};
    for (;; ++f) {
      char c = f[1];
      if (c == '-') sp.left = 1;
      else if (c == '0') sp.zero = 1;
      else if (c == '+') sp.plus = 1;
      else if (c == ' ') sp.space = 1;
      else if (c == '#') sp.alt = 1;
      else break;
    }
    ++f;
    if (*f == '*') {
      sp.width = va_arg(ap, int);
      if (sp.width < 0) sp.left = 1, sp.width = -sp.width;
      ++f;
    } else {
      while (*f >= '0' && *f <= '9') sp.width = sp.width * 10 + (*f++ - '0');
    }
    if (*f == '.') {
      ++f;
      sp.prec = 0;
      if (*f == '*') {
        sp.prec = va_arg(ap, int);
        ++f;
      } else {
        while (*f >= '0' && *f <= '9') sp.prec = sp.prec * 10 + (*f++ - '0');
      }
    }
    int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 size_t/ptrdiff_t */
    for (;; ++f) {
      if (*f == 'h') lng = lng == -1 ? -2 : -1;
      else if (*f == 'l') lng = lng == 1 ? 2 : 1;
      else if (*f == 'z' || *f == 't') lng = 3;
      else if (*f == 'j') lng = 2;
      else break;
    }
    char conv = *f;
    if (!conv) break;
    switch (conv) {
      case 'd':
      case 'i': {
        long long v;
        if (lng == 2) v = va_arg(ap, long long);
        else if (lng == 1) v = va_arg(ap, long);
        else if (lng == 3) v = va_arg(ap, ptrdiff_t);
        else v = va_arg(ap, int);
        if (lng == -1) v = (short)v;
        if (lng == -2) v = (signed char)v;
        unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        emit_number(s, &sp, mag, v < 0, 10, 0, 0);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        unsigned long long v;
        if (lng == 2) v = va_arg(ap, unsigned long long);
        else if (lng == 1) v = va_arg(ap, unsigned long);
        else if (lng == 3) v = va_arg(ap, size_t);
        else v = va_arg(ap, unsigned);
        if (lng == -1) v = (unsigned short)v;
        if (lng == -2) v = (unsigned char)v;
        unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
        emit_number(s, &sp, v, 0, base, conv == 'X', 0);
        break;
      }
      case 'p':
        emit_number(s, &sp, (uintptr_t)va_arg(ap, void*), 0, 16, 0, 1);
        break;
      case 'c': {
        if (!sp.left) pad(s, ' ', sp.width - 1);
        put(s, (char)va_arg(ap, int));
        if (sp.left) pad(s, ' ', sp.width - 1);
        break;
      }
      case 's': {
        const char* str = va_arg(ap, const char*);
        if (!str) str = "(null)";
        int n = 0;
        while (str[n] && (sp.prec < 0 || n < sp.prec)) ++n;
        if (!sp.left) pad(s, ' ', sp.width - n);
        for (int k = 0; k < n; ++k) put(s, str[k]);
        if (sp.left) pad(s, ' ', sp.width - n);
        break;
      }
      case '%':
        put(s, '%');
        break;
      default: /* unknown conversion: print it verbatim */
        put(s, '%');
        put(s, conv);
        break;
    }
  }
  return (int)s->len;
}

int vprintf(const char* fmt, va_list ap) {
  sink s = {1, NULL, 0, 0};
  return format(&s, fmt, ap);
}

int printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap) {
  sink s = {0, buf, size, 0};
  int n = format(&s, fmt, ap);
  if (size) buf[s.len < size ? s.len : size - 1] = '\0';
  return n;
}

int snprintf(char* buf, size_t size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int puts(const char* s) {
  int n = printf("%s\n", s);
  return n;
}
