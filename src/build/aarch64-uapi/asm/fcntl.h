/* aarch64 view for GenerateConstants.java: arm64's uapi asm/fcntl.h moves four open flags (kept so for AArch32
 * compatibility) and otherwise takes the generic values. Authored facts, not a copy of the kernel file. */
#define O_DIRECTORY 040000
#define O_NOFOLLOW 0100000
#define O_DIRECT 0200000
#define O_LARGEFILE 0400000
#include <asm-generic/fcntl.h>
