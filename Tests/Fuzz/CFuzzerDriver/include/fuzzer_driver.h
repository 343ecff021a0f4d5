#ifndef TAPEDECK_FUZZER_DRIVER_H
#define TAPEDECK_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's own driver (compiler-rt, FuzzerInterface.h): what its `main` calls. Declared here
/// because SwiftPM's debug builds rename an executable's `main` to `<module>_main`, so
/// tapedeck-fuzz defines that and hands control to libFuzzer itself.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
