package dev.sandboxed.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A tiny Java application for hardened runs, compiled at test time so the image's classpath holds exactly one
 * class. Each mode exercises one property of the sandbox and exits non-zero when the sandbox failed to hold.
 */
final class ProbeApplication {

    static final String MAIN_CLASS = "Probe";

    private static final String SOURCE = """
            import java.io.*;
            import java.net.*;
            import java.nio.channels.FileChannel;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.*;
            import java.util.*;

            public class Probe {
                public static void main(String[] args) throws Exception {
                    switch (args[0]) {
                        case "write" -> {
                            Path file = Path.of(args[1], "hello.txt");
                            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                                channel.write(StandardCharsets.UTF_8.encode("hello from the sandbox\\n"));
                                channel.force(false);
                            }
                            System.out.println("wrote " + file);
                        }
                        case "escape" -> {
                            int written = 0;
                            for (String target : List.of("/app/escape.txt", "/etc/escape.txt", "/opt/java/escape.txt")) {
                                try {
                                    Files.writeString(Path.of(target), "escaped");
                                    System.out.println("WROTE " + target);
                                    written++;
                                } catch (IOException e) {
                                    System.out.println("denied " + target + ": " + e.getMessage());
                                }
                            }
                            System.exit(written == 0 ? 0 : 1);
                        }
                        case "network" -> {
                            List<String> names = new ArrayList<>();
                            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                                names.add(nic.getName());
                            }
                            System.out.println("interfaces " + names);
                            boolean connected;
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress("192.0.2.1", 80), 2000);
                                connected = true;
                            } catch (IOException e) {
                                System.out.println("connect failed: " + e.getMessage());
                                connected = false;
                            }
                            System.exit(names.equals(List.of("lo")) && !connected ? 0 : 1);
                        }
                        case "gzip" -> {
                            Process gzip = new ProcessBuilder("gzip", "-c")
                                    .redirectOutput(new File(args[1], "hello.gz")).start();
                            try (OutputStream in = gzip.getOutputStream()) {
                                in.write("compress me\\n".getBytes(StandardCharsets.UTF_8));
                            }
                            System.out.println("gzip exited " + gzip.waitFor());
                        }
                        case "sleep" -> Thread.sleep(Long.parseLong(args[1]));
                        default -> throw new IllegalArgumentException(args[0]);
                    }
                }
            }
            """;

    private ProbeApplication() {
    }

    /**
     * Compiles the probe into {@code directory}. The class file is only rewritten when its bytes change, so its
     * timestamp stays put and the module analysis cached for it stays valid between test runs.
     */
    static Path compile(Path directory) {
        try {
            Path sources = Files.createDirectories(directory.resolve("src"));
            Path classes = Files.createDirectories(directory.resolve("classes"));
            Path staging = Files.createDirectories(directory.resolve("staging"));
            Path source = Files.writeString(sources.resolve(MAIN_CLASS + ".java"), SOURCE, StandardCharsets.UTF_8);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int status = compiler.run(null, null, null, "--release", "17", "-d", staging.toString(), source.toString());
            if (status != 0) {
                throw new IllegalStateException("the probe does not compile");
            }
            Path compiled = staging.resolve(MAIN_CLASS + ".class");
            Path target = classes.resolve(MAIN_CLASS + ".class");
            if (!Files.exists(target) || Files.mismatch(compiled, target) != -1) {
                Files.copy(compiled, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
