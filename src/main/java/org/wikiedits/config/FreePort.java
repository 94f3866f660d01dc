package org.wikiedits.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks before start-up that a port the app is about to listen on is free, so a taken port stops
 * the app with a message naming the setting, instead of a server that fails later in the background.
 */
public final class FreePort {

    private FreePort() {
    }

    /**
     * @param host    the bind address ({@code 127.0.0.1} by default)
     * @param port    the port
     * @param what    what listens there, for the message ("the embedded OpenSearch")
     * @param setting the setting that chooses the port
     * @param orElse  another way out, appended to the message ("" for none)
     * @throws StartupFailure when something already listens on {@code host:port}
     */
    public static void require(String host, int port, String what, String setting, String orElse) {
        try (ServerSocket probe = new ServerSocket()) {
            // as the servers bind: connections of a previous run in TIME_WAIT do not count, a listener does
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new StartupFailure("Port " + port + " on " + host + " is already in use, so " + what + " cannot start: set "
                    + setting + " to a free port (or stop what uses " + port + ")" + orElse, e);
        }
    }
}
