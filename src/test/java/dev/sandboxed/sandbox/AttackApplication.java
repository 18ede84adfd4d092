package dev.sandboxed.sandbox;

import com.sun.jna.Native;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The attack program ({@code src/test/resources/attack/Attack.java}), compiled at test time against JNA so that
 * its class path holds only itself and JNA: what an image assembled for it contains.
 */
public final class AttackApplication {

    public static final String MAIN_CLASS = "Attack";

    private AttackApplication() {
    }

    /** The JNA jar the tests run with. */
    public static Path jna() {
        try {
            return Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles the program into {@code directory/classes} and returns its class path. The class file is rewritten
     * only when its bytes change, so cached image layers and module lists stay valid between test runs.
     */
    public static List<Path> compile(Path directory) {
        try {
            Path sources = Files.createDirectories(directory.resolve("src"));
            Path classes = Files.createDirectories(directory.resolve("classes"));
            Path staging = Files.createDirectories(directory.resolve("staging"));
            Path source = sources.resolve(MAIN_CLASS + ".java");
            try (InputStream in = AttackApplication.class.getResourceAsStream("/attack/" + MAIN_CLASS + ".java")) {
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int status = compiler.run(null, null, null, "--release", "17", "-cp", jna().toString(), "-d",
                    staging.toString(), source.toString());
            if (status != 0) {
                throw new IllegalStateException("the attack program does not compile");
            }
            try (var compiled = Files.list(staging)) {
                for (Path file : compiled.toList()) {
                    Path target = classes.resolve(file.getFileName());
                    if (!Files.exists(target) || Files.mismatch(file, target) != -1) {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return List.of(classes, jna());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
