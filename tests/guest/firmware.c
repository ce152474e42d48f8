/* firmware: main calls HalReturnToFirmware(1) (reboot to the dashboard) while a worker is still
 * blocked. The run ends there with reason "exit" (exit status 0); the dump's run.system_stop
 * names the routine; the worker stays Blocked and main is not Exited (neither ran on). */
#define TITLE "firmware"
#include "title_util.h"

static HANDLE never;

static uint32_t waiter(void* ctx) {
  (void)ctx;
  return (uint32_t)NtWaitForSingleObjectEx(never, UserMode, FALSE, NULL);
}

int main(void) {
  HANDLE h;
  NtCreateEvent(&never, NULL, NotificationEvent, FALSE);
  ExCreateThread(&h, 0, NULL, NULL, waiter, NULL, 0);
  sleep_ms(1);
  DbgPrint("firmware: returning to the firmware\n");
  HalReturnToFirmware(1);
  DbgPrint("firmware: FAIL: HalReturnToFirmware returned\n");
  return 1;
}
