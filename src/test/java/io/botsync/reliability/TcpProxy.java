package io.botsync.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of a server, so that a test can take the server away from a process without
 * stopping it (other tests share it): {@link #cut} closes every connection made through the proxy and closes its port,
 * so new connections are refused, as they are while a PostgreSQL server is stopped; {@link #restore} listens on the same
 * port again.
 */
final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket listening;

    TcpProxy(int targetPort) {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listening = listen(0);
        this.port = listening.getLocalPort();
    }

    /** The port to connect to instead of the server's. */
    int port() {
        return port;
    }

    /** The server goes away: every connection through the proxy is closed, and the port refuses new ones. */
    synchronized void cut() {
        close(listening);
        listening = null;
        open.forEach(TcpProxy::close);
        open.clear();
    }

    /** The server is back: the port accepts connections again. */
    synchronized void restore() {
        if (listening == null) {
            listening = listen(port);
        }
    }

    private ServerSocket listen(int on) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true); // the port's closed connections may linger in TIME_WAIT
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on));
            daemon("tcp-proxy-accept", () -> accept(server));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + on, e);
        }
    }

    private void accept(ServerSocket server) {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // cut or closed
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target);
            } catch (IOException e) {
                close(client);
                continue;
            }
            synchronized (this) {
                if (listening != server) { // cut while this connection was being made
                    close(client);
                    close(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
            }
            daemon("tcp-proxy-up", () -> pump(client, upstream));
            daemon("tcp-proxy-down", () -> pump(upstream, client));
        }
    }

    /** Copies one direction until either side closes, then closes both, as a connection that ends does. */
    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // closed by the other direction or by a cut
        } finally {
            close(from);
            close(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
