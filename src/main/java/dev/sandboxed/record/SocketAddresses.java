package dev.sandboxed.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Renders a raw {@code struct sockaddr} the way recordings spell addresses: {@code unix:/run/x.sock},
 * {@code unix:@abstract}, {@code inet:127.0.0.1:8080}, {@code inet6:[::1]:443}.
 */
final class SocketAddresses {

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    /** Big enough for any sockaddr ({@code sizeof(struct sockaddr_storage)}). */
    static final int MAX_LENGTH = 128;

    private SocketAddresses() {
    }

    static String render(byte[] raw, int length) {
        if (length < 2) {
            return "unspecified";
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 0, length).order(ByteOrder.nativeOrder());
        int family = b.getShort(0) & 0xffff;
        switch (family) {
            case AF_UNIX -> {
                if (length == 2) {
                    return "unix:";
                }
                if (raw[2] == 0) {
                    return "unix:@" + new String(raw, 3, length - 3, StandardCharsets.UTF_8).replace('\0', '@');
                }
                int end = 2;
                while (end < length && raw[end] != 0) {
                    end++;
                }
                return "unix:" + new String(raw, 2, end - 2, StandardCharsets.UTF_8);
            }
            case AF_INET -> {
                if (length < 8) {
                    return "inet:truncated";
                }
                return "inet:" + (raw[4] & 0xff) + "." + (raw[5] & 0xff) + "." + (raw[6] & 0xff) + "." + (raw[7] & 0xff)
                        + ":" + port(raw);
            }
            case AF_INET6 -> {
                if (length < 24) {
                    return "inet6:truncated";
                }
                return "inet6:[" + ipv6(raw, 8) + "]:" + port(raw);
            }
            case AF_NETLINK -> {
                return "netlink";
            }
            default -> {
                return "family:" + family;
            }
        }
    }

    private static int port(byte[] raw) {
        return ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
    }

    /** RFC 5952 text: lower case, the longest run (of two or more) of zero groups shortened to {@code ::}. */
    static String ipv6(byte[] raw, int offset) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((raw[offset + 2 * i] & 0xff) << 8) | (raw[offset + 2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
