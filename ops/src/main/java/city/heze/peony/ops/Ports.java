package city.heze.peony.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks that a port the user chose is free, so the error names the option to change. */
public final class Ports {
    private Ports() {}

    /** Does nothing for port 0 (a free port is picked later). */
    public static void requireFree(int port, String option) {
        if (port == 0) {
            return;
        }
        if (port < 0 || port > 65535) {
            throw new UserException(option + " " + port + " is not a port number (0..65535)");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UserException("Port " + port + " is already in use on 127.0.0.1: stop what listens there or"
                    + " pick another port (" + option + ").");
        }
    }
}
