package dev.sandboxed.linux;

/** The kernel refused to load a BPF program; the message carries the verifier's log, which says why. */
public final class BpfLoadException extends LinuxException {

    private final String verifierLog;

    public BpfLoadException(String operation, int errno, String description, String verifierLog) {
        super(operation, errno, description + (verifierLog.isBlank() ? "" : "; verifier log:\n" + verifierLog.strip()));
        this.verifierLog = verifierLog;
    }

    public String verifierLog() {
        return verifierLog;
    }
}
