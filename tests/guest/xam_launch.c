/* xam_launch: XamLoaderLaunchTitle does not return: the run stops with stop reason title-launch
 * and the dump's xam.loader names the target, a bare file name resolved into the title's folder
 * (game:\sequel.xex), and the flags. A second thread, blocked, is left as it was. */
#define TITLE "xam_launch"
#include "title_util.h"

static HANDLE never;

static uint32_t blocked(void* ctx) {
  (void)ctx;
  return (uint32_t)NtWaitForSingleObjectEx(never, UserMode, FALSE, NULL);
}

int main(void) {
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  HANDLE h;
  ExCreateThread(&h, 0, NULL, NULL, blocked, NULL, 0);
  sleep_ms(1);
  DbgPrint("xam_launch: launching sequel.xex\n");
  XamLoaderLaunchTitle("sequel.xex", 0x23);
  DbgPrint("xam_launch: XamLoaderLaunchTitle returned\n");
  return 99;
}
