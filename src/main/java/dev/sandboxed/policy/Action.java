package dev.sandboxed.policy;

import java.util.Objects;

/**
 * What the kernel does with a system call. The kinds are listed from most to least restrictive, the order in
 * which the kernel itself ranks stacked filters; the model uses the same order to settle overlapping rules.
 *
 * @param kind what happens
 * @param data the errno for {@link Kind#ERRNO}, the value handed to the tracer for {@link Kind#TRACE}, else 0
 */
public record Action(Kind kind, int data) implements Comparable<Action> {

    /** The largest errno the kernel lets a filter return; anything above is read as a pointer error. */
    public static final int MAX_ERRNO = 4095;

    public enum Kind {
        KILL_PROCESS(0x80000000, "kill-process"),
        KILL_THREAD(0x00000000, "kill-thread"),
        TRAP(0x00030000, "trap"),
        ERRNO(0x00050000, "errno"),
        USER_NOTIF(0x7fc00000, "user-notif"),
        TRACE(0x7ff00000, "trace"),
        LOG(0x7ffc0000, "log"),
        ALLOW(0x7fff0000, "allow");

        private final int seccompReturn;
        private final String id;

        Kind(int seccompReturn, String id) {
            this.seccompReturn = seccompReturn;
            this.id = id;
        }

        /** The {@code SECCOMP_RET_*} constant, without data. */
        public int seccompReturn() {
            return seccompReturn;
        }

        /** The name used in our policy format. */
        public String id() {
            return id;
        }
    }

    private static final Action ALLOW = new Action(Kind.ALLOW, 0);
    private static final Action KILL_PROCESS = new Action(Kind.KILL_PROCESS, 0);
    private static final Action KILL_THREAD = new Action(Kind.KILL_THREAD, 0);
    private static final Action TRAP = new Action(Kind.TRAP, 0);
    private static final Action LOG = new Action(Kind.LOG, 0);
    private static final Action USER_NOTIF = new Action(Kind.USER_NOTIF, 0);

    public Action {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.ERRNO && (data < 0 || data > MAX_ERRNO)) {
            throw new InvalidPolicyException("errno " + data + " is out of range: the kernel accepts 0 to " + MAX_ERRNO);
        }
        if (kind == Kind.TRACE && (data < 0 || data > 0xffff)) {
            throw new InvalidPolicyException("trace data " + data + " is out of range: 0 to 65535");
        }
        if (kind != Kind.ERRNO && kind != Kind.TRACE && data != 0) {
            throw new InvalidPolicyException(kind.id + " carries no data, got " + data);
        }
    }

    public static Action allow() {
        return ALLOW;
    }

    public static Action errno(int errno) {
        return new Action(Kind.ERRNO, errno);
    }

    public static Action killProcess() {
        return KILL_PROCESS;
    }

    public static Action killThread() {
        return KILL_THREAD;
    }

    public static Action trap() {
        return TRAP;
    }

    public static Action log() {
        return LOG;
    }

    public static Action trace(int data) {
        return new Action(Kind.TRACE, data);
    }

    public static Action userNotif() {
        return USER_NOTIF;
    }

    /** The 32-bit value a filter returns for this action. */
    public int seccompReturn() {
        return kind.seccompReturn | data;
    }

    /** Reads a filter's return value back; the inverse of {@link #seccompReturn()}. */
    public static Action fromSeccompReturn(int value) {
        int base = value & 0xffff0000;
        int data = value & 0xffff;
        for (Kind kind : Kind.values()) {
            if (kind.seccompReturn == base || (kind == Kind.USER_NOTIF && base == 0x7fc00000)) {
                return switch (kind) {
                    case ERRNO -> errno(Math.min(data, MAX_ERRNO));
                    case TRACE -> trace(data);
                    default -> new Action(kind, 0);
                };
            }
        }
        // The kernel treats unknown return values as SECCOMP_RET_KILL_PROCESS.
        return KILL_PROCESS;
    }

    /** True when the call goes ahead without the kernel or a supervisor stepping in. */
    public boolean permits() {
        return kind == Kind.ALLOW || kind == Kind.LOG;
    }

    /** Orders from most to least restrictive; among equal kinds, by data. */
    @Override
    public int compareTo(Action other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : Integer.compare(data, other.data);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ERRNO, TRACE -> kind.id + "(" + data + ")";
            default -> kind.id;
        };
    }
}
