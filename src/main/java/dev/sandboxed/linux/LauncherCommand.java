package dev.sandboxed.linux;

import com.sun.jna.Native;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a parent starts {@link Launcher}: the JVM executable, its arguments and its environment. The launcher JVM
 * is tuned to start fast (it lives only until its exec), and it must not pick up the user's JVM options from
 * the environment (an agent in {@code JAVA_TOOL_OPTIONS} would run in it), yet the command it executes must see
 * them: they are taken out of the launcher's environment and handed back to the command with {@code --env}.
 *
 * @param executable the {@code java} binary of this JVM
 * @param argv the complete argument vector, {@code argv[0]} included
 * @param environment the launcher JVM's environment, as {@code NAME=VALUE} strings
 */
public record LauncherCommand(String executable, List<String> argv, List<String> environment) {

    /** Variables the {@code java} launcher reads options from. */
    static final Set<String> JVM_OPTION_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private static final List<String> FAST_START = List.of(
            "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xms8m", "-Xmx64m",
            "-Xss512k");

    public LauncherCommand {
        Objects.requireNonNull(executable, "executable");
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
    }

    /**
     * The launcher command for {@code options}, to run with {@code environment} as the command's environment.
     */
    public static LauncherCommand of(LauncherOptions options, Map<String, String> environment) {
        Map<String, String> launcherEnvironment = new LinkedHashMap<>(environment);
        LauncherOptions.Builder withRestored = LauncherOptions.builder();
        JVM_OPTION_VARIABLES.stream().sorted().forEach(name -> {
            String value = launcherEnvironment.remove(name);
            if (value != null) {
                withRestored.environment(name, value);
            }
        });
        LauncherOptions effective = merge(options, withRestored);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(FAST_START);
        argv.add("-cp");
        argv.add(classPath());
        argv.add(Launcher.class.getName());
        argv.addAll(effective.toArguments());
        List<String> envp = new ArrayList<>();
        launcherEnvironment.forEach((name, value) -> envp.add(name + "=" + value));
        return new LauncherCommand(java, argv, envp);
    }

    private static LauncherOptions merge(LauncherOptions options, LauncherOptions.Builder restored) {
        restored.command(options.command());
        options.handshake().ifPresent(restored::handshake);
        if (options.traceSeccomp()) {
            restored.traceSeccomp();
        }
        if (options.noNewPrivs()) {
            restored.noNewPrivs();
        }
        options.seccompFilter().ifPresent(restored::seccompFilter);
        if (options.seccompLog()) {
            restored.seccompLog();
        }
        options.cgroup().ifPresent(restored::cgroup);
        options.landlockRead().forEach(restored::landlockRead);
        options.landlockWrite().forEach(restored::landlockWrite);
        options.landlockExecute().forEach(restored::landlockExecute);
        options.environment().forEach(restored::environment);
        return restored.build();
    }

    /** Where the launcher's classes and JNA live: a directory or jar each, in the build or in the local repository. */
    static String classPath() {
        return location(Launcher.class) + File.pathSeparator + location(Native.class);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the classes of " + type.getName()
                    + " to start the launcher JVM", e);
        }
    }
}
