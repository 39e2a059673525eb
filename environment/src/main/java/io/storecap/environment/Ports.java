package io.storecap.environment;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Free loopback ports, and waiting for one to accept connections. */
public final class Ports {
    private Ports() {}

    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new EnvironmentException("no free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** Polls until something listens on 127.0.0.1:port, or fails with the given description. */
    public static void awaitListening(int port, long timeoutMs, String what, Process process) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (process != null && !process.isAlive())
                throw new EnvironmentException(what + " exited with code " + process.exitValue() + " before listening on port " + port);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new EnvironmentException("interrupted while waiting for " + what, ie);
                }
            }
        }
        throw new EnvironmentException(what + " did not listen on 127.0.0.1:" + port + " within " + timeoutMs + " ms");
    }
}
