package dev.sandboxed.evil;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Carries out the attack named by the {@code evil.attack} system property, once, and reports on standard error
 * what became of it, so a test can tell "stopped by the sandbox" from "never attempted". Like real malware it
 * swallows every failure: the host application goes on as if nothing happened.
 */
final class Payload {
    static final String PROPERTY = "evil.attack";

    private Payload() {
    }

    static void deliver() {
        String name = System.getProperty(PROPERTY, "");
        if (name.isEmpty()) {
            return;
        }
        PrintStream err = System.err;
        String outcome;
        try {
            outcome = Attack.named(name).carryOut(Target.ofThisProcess());
        } catch (Throwable e) {
            outcome = "failed: " + e;
        }
        err.println("evil: " + name.toLowerCase(Locale.ROOT) + ": " + outcome);
        err.flush();
    }
}
