/* xam_terminate: XamLoaderTerminateTitle first has the calling thread call the title-terminate
 * notification routines (ExRegisterTitleTerminateNotification), in registration order, each once
 * and with no arguments, then the run stops with stop reason title-terminate (xenia
 * KernelState::TerminateTitle). Three are registered and one removed: the two left run, on the
 * main thread, after the registrations and before the run stops; the code after the call never
 * runs. The second routine checks what the first saw and prints the verdict. */
#define TITLE "xam_terminate"
#include "title_util.h"
#include "hx/modules.h"

static EX_TITLE_TERMINATE_REGISTRATION reg_first, reg_removed, reg_second;
static volatile uint32_t order[4];
static volatile uint32_t calls;
static volatile uint32_t main_stack; /* an address in main's frame */

/* Whether `local` (a routine's local variable) is on the main thread's stack, below main's frame. */
static uint32_t on_main_stack(volatile uint32_t* local) {
  return (uint32_t)local < main_stack && main_stack - (uint32_t)local < 0x10000;
}

static void on_terminate_first(void) {
  order[calls++] = 1;
  volatile uint32_t here = 0;
  expect("first: on the terminating thread's stack", on_main_stack(&here), 1);
  DbgPrint("xam_terminate: first routine\n");
}
static void on_terminate_removed(void) { order[calls++] = 2; }
static void on_terminate_second(void) {
  order[calls++] = 3;
  volatile uint32_t here = 0;
  expect("second: on the terminating thread's stack", on_main_stack(&here), 1);
  expect("second: after the first only", calls == 2 && order[0] == 1, 1);
  DbgPrint("xam_terminate: second routine\n");
  DbgPrint("xam_terminate: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
}

int main(void) {
  volatile uint32_t frame = 0;
  main_stack = (uint32_t)&frame;
  reg_first.NotificationRoutine = (void*)on_terminate_first;
  reg_first.Priority = 1;
  reg_removed.NotificationRoutine = (void*)on_terminate_removed;
  reg_removed.Priority = 2;
  reg_second.NotificationRoutine = (void*)on_terminate_second;
  reg_second.Priority = 3;
  ExRegisterTitleTerminateNotification(&reg_first, TRUE);
  ExRegisterTitleTerminateNotification(&reg_removed, TRUE);
  ExRegisterTitleTerminateNotification(&reg_second, TRUE);
  ExRegisterTitleTerminateNotification(&reg_removed, FALSE);
  expect("no routine ran at registration", calls, 0);
  DbgPrint("xam_terminate: terminating\n");
  XamLoaderTerminateTitle();
  DbgPrint("xam_terminate: XamLoaderTerminateTitle returned\n");
  return 99;
}
