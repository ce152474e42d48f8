// Stands in for the kernel header the selftest includes.
#pragma once
