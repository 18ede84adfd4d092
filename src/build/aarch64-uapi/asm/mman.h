/* aarch64 view for GenerateConstants.java: arm64 adds two protection bits to the generic mmap constants and,
 * unlike x86_64, has no MAP_32BIT. Authored facts, not a copy of the kernel file. */
#include <asm-generic/mman.h>
#define PROT_BTI 0x10
#define PROT_MTE 0x20
