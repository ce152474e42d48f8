/* badtext: DbgPrint text that is not valid UTF-8. stdout.log keeps the raw bytes; the trace's
 * debug.print writes U+FFFD for each bad sequence and keeps the raw bytes in `text_hex`
 * (docs/trace.md); valid UTF-8 passes through with no `text_hex`. hexad must not abort. */
#include "hx/kernel.h"

int main(void) {
  DbgPrint("badtext: \xc3\x28 is a broken sequence\n");
  DbgPrint("badtext: caf\xc3\xa9 is valid\n");
  DbgPrint("badtext: %s and a lone continuation \x80\n", "\xff\xfe");
  DbgPrint("badtext: OK\n");
  return 0;
}
