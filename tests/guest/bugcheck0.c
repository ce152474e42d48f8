/* bugcheck0: main calls KeBugCheck(0x4E) (KeBugCheckEx with four zero parameters): the run stops
 * with reason "bugcheck" (exit status 6) and run.system_stop names main, the code and the zeros. */
#define TITLE "bugcheck0"
#include "title_util.h"

int main(void) {
  DbgPrint("bugcheck0: main calls KeBugCheck\n");
  KeBugCheck(0x4E);
  DbgPrint("bugcheck0: FAIL: KeBugCheck returned\n");
  return 1;
}
