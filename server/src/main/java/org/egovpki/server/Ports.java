package org.egovpki.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks a listen address before the heavy start-up, so a busy port fails fast with a clear line. */
final class Ports {

    private Ports() {
    }

    static void requireFree(String what, String host, int port, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new StartupException(what + " port " + host + ":" + port + " is already in use (" + e.getMessage()
                    + "); stop the process using it or choose another port (" + option + " N)");
        }
    }
}
