package dev.sandboxed.normalizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the real PhysioNet recording {@code shared/data/S001R01.edf}: first under the {@code shared.dir} system
 * property (set by the build), then in {@code shared/data} of the working directory or any parent.
 */
final class SharedData {
    static final String RECORDING = "S001R01.edf";

    private SharedData() {
    }

    static Optional<Path> physionetRecording() {
        String shared = System.getProperty("shared.dir");
        if (shared != null) {
            Path candidate = Path.of(shared, "data", RECORDING);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate.normalize());
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(RECORDING);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String whereLooked() {
        return RECORDING + " not found under -Dshared.dir=" + System.getProperty("shared.dir")
                + " nor in shared/data of " + Path.of("").toAbsolutePath() + " or its parents";
    }
}
