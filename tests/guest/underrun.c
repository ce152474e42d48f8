/* underrun: a producer underrun. The producer releases three items into a semaphore and then
 * waits for a go-ahead nobody gives; three consumers take items until the semaphore is empty and
 * all wait on it at count 0 while their only releaser is blocked. Main joins the producer. The
 * run stops with reason `deadlock`; hexad-audit explain classifies the semaphore as a producer
 * underrun, the go-ahead event as having no signaler and main's join as a join on a blocked
 * thread. */
#include "hx/kernel.h"

#define CONSUMERS 3

static HANDLE items, go;
static volatile uint32_t consumed;

static uint32_t producer(void* ctx) {
  (void)ctx;
  for (int i = 0; i < 3; ++i) NtReleaseSemaphore(items, 1, NULL);
  NtWaitForSingleObjectEx(go, UserMode, FALSE, NULL);
  for (int i = 0; i < 3; ++i) NtReleaseSemaphore(items, 1, NULL);
  return 0;
}

static uint32_t consumer(void* ctx) {
  (void)ctx;
  for (;;) {
    NtWaitForSingleObjectEx(items, UserMode, FALSE, NULL);
    ++consumed;
  }
  return 0;
}

int main(void) {
  HANDLE h_producer, h_consumers[CONSUMERS];
  NtCreateSemaphore(&items, NULL, 0, 8);
  NtCreateEvent(&go, NULL, NotificationEvent, FALSE);
  for (int i = 0; i < CONSUMERS; ++i) ExCreateThread(&h_consumers[i], 0, NULL, NULL, consumer, NULL, 0);
  ExCreateThread(&h_producer, 0, NULL, NULL, producer, NULL, 0);
  NtWaitForSingleObjectEx(h_producer, UserMode, FALSE, NULL);
  DbgPrint("underrun: UNREACHABLE (consumed %u)\n", consumed);
  return 1;
}
