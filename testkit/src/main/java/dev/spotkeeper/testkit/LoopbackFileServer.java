package dev.spotkeeper.testkit;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves one fixed body at one path on 127.0.0.1 (anything else is 404), and counts the requests. */
public final class LoopbackFileServer implements AutoCloseable {
    private final HttpServer server;
    private final String path;
    private final AtomicInteger requests = new AtomicInteger();

    private LoopbackFileServer(String path, String contentType, byte[] body) throws IOException {
        this.path = requireNonNull(path, "path is null");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                boolean found = exchange.getRequestURI().getPath().equals(path);
                byte[] out = found ? body : new byte[0];
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(found ? 200 : 404, out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(out);
                    }
                }
            }
        });
        server.start();
    }

    public static LoopbackFileServer serving(String path, String contentType, byte[] body) {
        try {
            return new LoopbackFileServer(path, contentType, body.clone());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
