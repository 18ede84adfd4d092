package dev.sandboxed.policy;

/** The comparisons seccomp can make on an argument; all are unsigned, as in the kernel's BPF. */
public enum Operator {
    EQ("==", "SCMP_CMP_EQ"),
    NE("!=", "SCMP_CMP_NE"),
    LT("<", "SCMP_CMP_LT"),
    LE("<=", "SCMP_CMP_LE"),
    GT(">", "SCMP_CMP_GT"),
    GE(">=", "SCMP_CMP_GE"),
    /** {@code (arg & mask) == value}. */
    MASKED_EQ("&=", "SCMP_CMP_MASKED_EQ");

    private final String symbol;
    private final String dockerName;

    Operator(String symbol, String dockerName) {
        this.symbol = symbol;
        this.dockerName = dockerName;
    }

    public String symbol() {
        return symbol;
    }

    public String dockerName() {
        return dockerName;
    }
}
