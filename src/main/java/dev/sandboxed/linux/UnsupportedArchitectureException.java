package dev.sandboxed.linux;

/** This JVM runs on an OS or CPU the native layer has no syscall table or struct layouts for. */
public class UnsupportedArchitectureException extends RuntimeException {

    public UnsupportedArchitectureException(String message) {
        super(message);
    }
}
