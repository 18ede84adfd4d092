package dev.sandboxed.sandbox;

/** The image for a verify run could not be put together; the message says which input is at fault. */
public class ImageAssemblyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImageAssemblyException(String message) {
        super(message);
    }

    public ImageAssemblyException(String message, Throwable cause) {
        super(message, cause);
    }
}
