/* aarch64 view for GenerateConstants.java: arm64 uses the generic signal numbers with larger signal stacks.
 * Authored facts, not a copy of the kernel file. */
#define SA_RESTORER 0x04000000
#define MINSIGSTKSZ 5120
#define SIGSTKSZ 16384
#include <asm-generic/signal.h>
