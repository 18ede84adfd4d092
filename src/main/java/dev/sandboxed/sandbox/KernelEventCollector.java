package dev.sandboxed.sandbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the kernel log while one container runs and keeps what concerns it: its seccomp audit records and the
 * pids controller refusing it a fork.
 *
 * <p>The audit record names a process only by its host pid, uid, thread name and executable; nothing in it names
 * a container. Records are therefore attributed as they arrive, while the process usually still exists: its
 * {@code /proc/<pid>/cgroup} names the container's cgroup, which contains the container id. That is exact, does
 * not depend on timing, and is immune to other containers running the same executables as the same user. Only a
 * process that has already gone (killed by its own seccomp violation, or short-lived) cannot be looked up; such a
 * record is attributed when it falls inside the run's time window and carries the container's uid. The window
 * starts before the container is created, using the audit record's own wall-clock stamp, so records of earlier
 * runs that still sit in the kernel's buffer are ignored.
 *
 * <p>The kernel prints audit records through {@code kauditd}, shortly after the system call; the collector stops
 * once the log has been quiet for a moment after the container exited, so late records are not lost.
 */
public final class KernelEventCollector implements AutoCloseable {

    public static final Path KERNEL_LOG = Path.of("/dev/kmsg");

    private static final int RECORD_BUFFER = 16 * 1024;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(3);
    private static final Pattern SUPPRESSED = Pattern.compile("kauditd_printk_skb: (\\d+) callbacks suppressed");

    private final String containerId;
    private final long containerUid;
    private final long windowStartMillis;
    private final FileChannel channel;
    private final Thread reader;
    private final String unavailableReason;
    private final Object lock = new Object();
    private final List<SeccompAuditRecord> records = new ArrayList<>();
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile long exitedNanos;
    private boolean pidsLimitReached;
    private long suppressed;
    private long windowAuditRecords;
    private long overruns;
    private long unresolved;
    private IOException failure;

    private KernelEventCollector(String containerId, long containerUid, Instant windowStart, Path kernelLog) {
        this.containerId = containerId;
        this.containerUid = containerUid;
        this.windowStartMillis = windowStart.toEpochMilli();
        FileChannel opened = null;
        String reason = null;
        try {
            opened = FileChannel.open(kernelLog, StandardOpenOption.READ);
        } catch (IOException | SecurityException e) {
            reason = "cannot read the kernel log " + kernelLog + " (" + describe(e) + "), so seccomp violations in"
                    + " the container cannot be listed; run the build as root, or give it CAP_SYSLOG, or allow"
                    + " unprivileged reading with 'sysctl kernel.dmesg_restrict=0'";
        }
        this.channel = opened;
        this.unavailableReason = reason;
        this.reader = opened == null ? null : new Thread(this::read, "kernel log of " + containerId.substring(0,
                Math.min(12, containerId.length())));
    }

    /**
     * Starts reading. Never fails: without access to the kernel log the collector reports why when finished.
     *
     * @param containerId the container's full id, as {@code docker create} printed it
     * @param containerUid the uid the container's processes run as
     * @param windowStart a moment before the container was created
     */
    public static KernelEventCollector start(String containerId, long containerUid, Instant windowStart) {
        return start(KERNEL_LOG, containerId, containerUid, windowStart);
    }

    static KernelEventCollector start(Path kernelLog, String containerId, long containerUid, Instant windowStart) {
        Objects.requireNonNull(containerId, "containerId");
        if (containerId.length() < 12) {
            throw new IllegalArgumentException("need the container's full id, got '" + containerId + "'");
        }
        KernelEventCollector collector = new KernelEventCollector(containerId, containerUid,
                Objects.requireNonNull(windowStart, "windowStart"), kernelLog);
        if (collector.reader != null) {
            collector.reader.setDaemon(true);
            collector.reader.start();
        }
        return collector;
    }

    /**
     * Notes that the container's processes are gone, so that the quiet period {@link #finish} waits for can
     * overlap whatever the caller does meanwhile (removing the container).
     */
    public void containerExited() {
        exitedNanos = System.nanoTime();
    }

    /**
     * Waits until the log has been quiet for {@code quietPeriod} since the container exited (at most a few
     * seconds), stops reading and returns what was found. Call after the container has exited.
     */
    public KernelEvents finish(Duration quietPeriod) {
        if (reader == null) {
            return KernelEvents.unavailable(unavailableReason);
        }
        long asked = exitedNanos != 0 ? exitedNanos : System.nanoTime();
        long giveUp = asked + LONGEST_WAIT.toNanos();
        boolean interrupted = false;
        boolean busy = false;
        while (reader.isAlive()) {
            long idleSince = Math.max(asked, lastActivityNanos);
            long remaining = idleSince + quietPeriod.toNanos() - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            if (System.nanoTime() > giveUp) {
                busy = true;
                break;
            }
            try {
                Thread.sleep(Math.max(1, Duration.ofNanos(remaining).toMillis()));
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            List<String> notes = new ArrayList<>();
            if (interrupted) {
                notes.add("interrupted before the kernel log was read to the end; the list may be incomplete");
            }
            if (busy) {
                notes.add("the kernel log was still busy " + LONGEST_WAIT.toSeconds() + " s after the run; records"
                        + " logged after that were not read");
            }
            if (failure != null) {
                notes.add("reading the kernel log failed (" + describe(failure) + "); the list may be incomplete");
            }
            if (overruns > 0) {
                notes.add("the kernel log overwrote records before they were read (" + overruns + " times);"
                        + " the list may be incomplete");
            }
            if (suppressed > 0) {
                notes.add("the kernel suppressed " + suppressed + " audit messages during the run (printk rate"
                        + " limit); the list may be incomplete: raise 'sysctl kernel.printk_ratelimit_burst' or run"
                        + " auditd");
            } else {
                rateLimitWarning().ifPresent(notes::add);
            }
            if (unresolved > 0) {
                notes.add(unresolved + " of " + records.size() + " records came from processes that had exited"
                        + " before their cgroup could be checked; they were attributed to the container by time"
                        + " window and uid " + containerUid);
            }
            return new KernelEvents(true, records, pidsLimitReached, notes);
        }
    }

    /** Stops reading without waiting; safe to call more than once. */
    @Override
    public void close() {
        if (reader == null) {
            return;
        }
        reader.interrupt();
        boolean interrupted = false;
        try {
            reader.join(Duration.ofSeconds(1).toMillis());
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Only a read-only handle on the kernel log; nothing was written that could be lost.
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(RECORD_BUFFER);
        while (!Thread.currentThread().isInterrupted()) {
            buffer.clear();
            int length;
            try {
                length = channel.read(buffer);
            } catch (AsynchronousCloseException stopped) {
                return;
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
                    // EPIPE: the ring buffer wrapped past us; the next read continues at the oldest record left.
                    synchronized (lock) {
                        overruns++;
                    }
                    continue;
                }
                synchronized (lock) {
                    failure = e;
                }
                return;
            }
            if (length < 0) {
                return;
            }
            lastActivityNanos = System.nanoTime();
            KernelLogRecord.parse(new String(buffer.array(), 0, length, StandardCharsets.UTF_8)).ifPresent(this::accept);
        }
    }

    private void accept(KernelLogRecord record) {
        String message = record.message();
        if (message.contains("fork rejected by pids controller") && message.contains(containerId)) {
            synchronized (lock) {
                pidsLimitReached = true;
            }
            return;
        }
        Matcher suppression = SUPPRESSED.matcher(message);
        if (suppression.find()) {
            synchronized (lock) {
                // The notice is printed when the limit lets messages through again and counts what was dropped
                // before; before the run's first record, that was someone else's.
                if (windowAuditRecords > 0) {
                    suppressed += Long.parseLong(suppression.group(1));
                }
            }
            return;
        }
        Optional<SeccompAuditRecord> parsed = SeccompAuditRecord.parse(message);
        if (parsed.isEmpty() || parsed.get().epochMillis() < windowStartMillis) {
            return;
        }
        SeccompAuditRecord audit = parsed.get();
        Optional<Boolean> inContainer = inContainer(audit.pid());
        boolean ours = inContainer.orElse(audit.uid() == containerUid);
        synchronized (lock) {
            windowAuditRecords++;
            if (ours) {
                records.add(audit);
                unresolved += inContainer.isEmpty() ? 1 : 0;
            }
        }
    }

    /** Whether the process is in the container's cgroup; empty when it no longer exists. */
    private Optional<Boolean> inContainer(int pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Integer.toString(pid), "cgroup"))
                    .contains(containerId));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Without auditd the kernel prints audit records through printk's rate limit (by default 10 per 5 s), and it
     * only says how many it dropped at its next successful print, which may come after we stopped reading. Having
     * seen as many records as one burst allows is the sign that some may be missing.
     */
    private Optional<String> rateLimitWarning() {
        try {
            long burst = Long.parseLong(Sysctl.read("kernel/printk_ratelimit_burst"));
            if (burst > 0 && windowAuditRecords >= burst) {
                return Optional.of("the kernel printed " + windowAuditRecords + " seccomp audit records during the"
                        + " run, as many as its printk rate limit lets through (kernel.printk_ratelimit_burst="
                        + burst + "), so some may have been dropped; raise it for a complete list");
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
