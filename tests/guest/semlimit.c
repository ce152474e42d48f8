/* semlimit: NtReleaseSemaphore beyond the maximum fails with STATUS_SEMAPHORE_LIMIT_EXCEEDED
 * (0xC0000047) and leaves the count unchanged; the previous count is reported on success;
 * creating a semaphore with initial > maximum or maximum <= 0 is STATUS_INVALID_PARAMETER. */
#define TITLE "semlimit"
#include "title_util.h"


int main(void) {
  HANDLE s, bad;
  LONG previous = -1;
  expect("create 2/3", NtCreateSemaphore(&s, NULL, 2, 3), STATUS_SUCCESS);
  expect("create initial > max", NtCreateSemaphore(&bad, NULL, 4, 3), STATUS_INVALID_PARAMETER);
  expect("create max 0", NtCreateSemaphore(&bad, NULL, 0, 0), STATUS_INVALID_PARAMETER);

  expect("release 1 (to 3)", NtReleaseSemaphore(s, 1, &previous), STATUS_SUCCESS);
  expect("previous", previous, 2);
  previous = 1234;
  expect("release 1 beyond max", NtReleaseSemaphore(s, 1, &previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  expect("previous untouched on failure", previous, 1234);
  expect("take 1", poll(s), STATUS_SUCCESS);
  expect("take 2", poll(s), STATUS_SUCCESS);
  expect("take 3", poll(s), STATUS_SUCCESS);
  expect("count exhausted", poll(s), STATUS_TIMEOUT);
  expect("release 4 into max 3", NtReleaseSemaphore(s, 4, &previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  expect("count still 0", poll(s), STATUS_TIMEOUT);
  expect("release 3 (to max)", NtReleaseSemaphore(s, 3, &previous), STATUS_SUCCESS);
  expect("previous", previous, 0);
  expect("release 0", NtReleaseSemaphore(s, 0, NULL), STATUS_INVALID_PARAMETER);
  expect("release on a bad handle", NtReleaseSemaphore(0x1234, 1, NULL), STATUS_INVALID_HANDLE);

  DbgPrint("semlimit: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
  return failures;
}
