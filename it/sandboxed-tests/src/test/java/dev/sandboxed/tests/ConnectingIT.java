package dev.sandboxed.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Opens a connection to TEST-NET-1, routed nowhere, which the recorded benign run never did. Unconfined it passes
 * whatever the network answers; under the sandbox the socket itself is refused, and it fails.
 */
class ConnectingIT {

    @Test
    void opensANetworkConnection() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("192.0.2.1", 443), 1000);
        } catch (SocketTimeoutException | ConnectException | NoRouteToHostException e) {
            System.out.println("the network answered: " + e);
        }
    }
}
