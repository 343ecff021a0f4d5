// Declarations only (include/fuzzer_driver.h); SwiftPM wants a source file in a C target.
#include "fuzzer_driver.h"
