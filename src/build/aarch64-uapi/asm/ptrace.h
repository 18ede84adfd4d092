/* aarch64 view for GenerateConstants.java: the ptrace requests arm64's uapi asm/ptrace.h adds to the generic ones
 * in linux/ptrace.h. x86_64's PTRACE_GETREGS, PTRACE_ARCH_PRCTL, ... do not exist there. Authored facts, not a
 * copy of the kernel file. */
#define PTRACE_SYSEMU 31
#define PTRACE_SYSEMU_SINGLESTEP 32
#define PTRACE_PEEKMTETAGS 33
#define PTRACE_POKEMTETAGS 34
