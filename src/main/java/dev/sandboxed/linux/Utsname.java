package dev.sandboxed.linux;

/** {@code struct utsname}; {@link #machine()} is the kernel's name for the CPU architecture. */
public record Utsname(String sysname, String nodename, String release, String version, String machine) {
}
