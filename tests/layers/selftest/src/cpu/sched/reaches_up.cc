// A scheduler file that reaches up into the kernel: the layering check must reject it.
#include "kernel/xboxkrnl/kernel.h"
