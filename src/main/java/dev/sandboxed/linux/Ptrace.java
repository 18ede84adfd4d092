package dev.sandboxed.linux;

/** {@code ptrace(2)} requests, options and event numbers (identical on every Linux architecture). */
public final class Ptrace {

    public static final int TRACEME = 0;
    public static final int POKETEXT = 4;
    public static final int POKEDATA = 5;
    public static final int CONT = 7;
    public static final int KILL = 8;
    public static final int SINGLESTEP = 9;
    public static final int DETACH = 17;
    public static final int SYSCALL = 24;
    public static final int SETOPTIONS = 0x4200;
    public static final int GETEVENTMSG = 0x4201;
    public static final int GETSIGINFO = 0x4202;
    public static final int GETREGSET = 0x4204;
    public static final int SETREGSET = 0x4205;
    public static final int SEIZE = 0x4206;
    public static final int INTERRUPT = 0x4207;
    public static final int LISTEN = 0x4208;
    public static final int GET_SYSCALL_INFO = 0x420e;
    /** The regset of the general-purpose registers ({@code struct user_regs_struct}) for GETREGSET/SETREGSET. */
    public static final int NT_PRSTATUS = 1;

    public static final int O_TRACESYSGOOD = 0x1;
    public static final int O_TRACEFORK = 0x2;
    public static final int O_TRACEVFORK = 0x4;
    public static final int O_TRACECLONE = 0x8;
    public static final int O_TRACEEXEC = 0x10;
    public static final int O_TRACEVFORKDONE = 0x20;
    public static final int O_TRACEEXIT = 0x40;
    public static final int O_TRACESECCOMP = 0x80;
    public static final int O_EXITKILL = 0x100000;

    public static final int EVENT_FORK = 1;
    public static final int EVENT_VFORK = 2;
    public static final int EVENT_CLONE = 3;
    public static final int EVENT_EXEC = 4;
    public static final int EVENT_VFORK_DONE = 5;
    public static final int EVENT_EXIT = 6;
    public static final int EVENT_SECCOMP = 7;
    public static final int EVENT_STOP = 128;

    /** The stop signal of a syscall-stop once {@link #O_TRACESYSGOOD} is set. */
    public static final int SYSCALL_STOP_SIGNAL = Signals.SIGTRAP | 0x80;

    private Ptrace() {
    }
}
