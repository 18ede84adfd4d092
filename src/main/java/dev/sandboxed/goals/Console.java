package dev.sandboxed.goals;

/**
 * Where the core tells the user what it is doing. The mojos adapt Maven's log to it, so the core needs no Maven
 * API and the same code prints from tests and command-line mains.
 */
public interface Console {

    void info(String line);

    void warn(String line);

    /** A line about a long step in progress; kept plain, one line per step, so CI logs stay readable. */
    default void progress(String line) {
        info(line);
    }

    static Console system() {
        return new Console() {
            @Override
            public void info(String line) {
                System.out.println(line);
            }

            @Override
            public void warn(String line) {
                System.err.println("WARNING: " + line);
            }
        };
    }
}
