package org.egovpki.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;

/**
 * Checks and takes listen addresses before the heavy start-up, so a busy port fails fast with a
 * clear line. Port 0 asks the system for a free port: nothing to check, the listener reports the
 * port it got.
 */
final class Ports {

    private Ports() {
    }

    /**
     * Fails unless {@code host:port} can be bound now (the listener that binds it later, such as
     * the embedded directory's, opens its own socket). Port 0 always can.
     */
    static void requireFree(String what, String host, int port, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw busy(what, host, port, option, e);
        }
    }

    /**
     * Binds {@code host:port} now and keeps it bound, for a listener that takes an open channel
     * (Jetty): between this check and the server's start no other process can take the port, and
     * port 0 has its real number from here on. Connections that arrive before the listener starts
     * wait in the socket's backlog.
     */
    static ServerSocketChannel reserve(String what, String host, int port, String option) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.socket().setReuseAddress(true);
            channel.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return channel;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // it was never bound
                }
            }
            throw busy(what, host, port, option, e);
        }
    }

    /** The port a reserved channel is bound to. */
    static int port(ServerSocketChannel channel) {
        return channel.socket().getLocalPort();
    }

    private static StartupException busy(String what, String host, int port, String option, IOException e) {
        return new StartupException(what + " port " + host + ":" + port + " is already in use (" + e.getMessage()
                + "); stop the process using it or choose another port (" + option + " N)");
    }
}
