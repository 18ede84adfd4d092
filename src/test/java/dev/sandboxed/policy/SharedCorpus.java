package dev.sandboxed.policy;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files from {@code ../shared/corpus}, which surefire points at with the {@code sandbox.shared} property. */
final class SharedCorpus {

    private SharedCorpus() {
    }

    /** The corpus file, or a skipped test (with the reason printed) when the shared directory is absent. */
    static Path file(String name) {
        String shared = System.getProperty("sandbox.shared");
        Path file = shared == null ? null : Path.of(shared, "corpus", name);
        if (file == null || !Files.isRegularFile(file)) {
            String reason = "skipped: " + (file == null ? "system property sandbox.shared is not set"
                    : file + " does not exist");
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return file;
    }
}
