package dev.sandboxed.record;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SocketAddressesTest {

    private static byte[] sockaddr(int family, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(2 + rest.length).order(ByteOrder.nativeOrder());
        b.putShort((short) family);
        b.put(rest);
        return b.array();
    }

    @Test
    void inet() {
        byte[] raw = sockaddr(SocketAddresses.AF_INET, new byte[] {0x1f, (byte) 0x90, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0});
        assertEquals("inet:10.0.0.1:8080", SocketAddresses.render(raw, raw.length));
    }

    @Test
    void inet6IsCompressedAsRfc5952Says() {
        byte[] rest = new byte[26];
        rest[0] = 0x01;
        rest[1] = (byte) 0xbb;
        rest[6 + 15] = 1;
        byte[] raw = sockaddr(SocketAddresses.AF_INET6, rest);
        assertEquals("inet6:[::1]:443", SocketAddresses.render(raw, raw.length));
        byte[] address = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        assertEquals("2001:db8::1:0:0:1", SocketAddresses.ipv6(address, 0));
        byte[] noRun = {0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 5};
        assertEquals("1:0:2:0:3:0:4:5", SocketAddresses.ipv6(noRun, 0));
    }

    @Test
    void unixPathsAbstractAndUnnamed() {
        byte[] path = sockaddr(SocketAddresses.AF_UNIX, "/run/x.sock\0junk".getBytes(StandardCharsets.UTF_8));
        assertEquals("unix:/run/x.sock", SocketAddresses.render(path, path.length));
        byte[] abstractName = sockaddr(SocketAddresses.AF_UNIX, "\0name".getBytes(StandardCharsets.UTF_8));
        assertEquals("unix:@name", SocketAddresses.render(abstractName, abstractName.length));
        byte[] unnamed = sockaddr(SocketAddresses.AF_UNIX, new byte[0]);
        assertEquals("unix:", SocketAddresses.render(unnamed, unnamed.length));
    }

    @Test
    void otherFamiliesAndTruncation() {
        byte[] netlink = sockaddr(SocketAddresses.AF_NETLINK, new byte[10]);
        assertEquals("netlink", SocketAddresses.render(netlink, netlink.length));
        byte[] packet = sockaddr(17, new byte[10]);
        assertEquals("family:17", SocketAddresses.render(packet, packet.length));
        byte[] shortInet = sockaddr(SocketAddresses.AF_INET, new byte[2]);
        assertEquals("inet:truncated", SocketAddresses.render(shortInet, shortInet.length));
        assertEquals("unspecified", SocketAddresses.render(new byte[1], 1));
    }
}
