package dev.sandboxed.linux;

/** Sizes of the user-notification structs this kernel uses, from {@code SECCOMP_GET_NOTIF_SIZES}. */
public record SeccompNotifSizes(int notification, int response, int data) {
}
