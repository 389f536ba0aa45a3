package dev.spotkeeper.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver on 127.0.0.1 that records every request and answers from a script: a queue of statuses
 * (then 200 with {@link #okBody}), or no answer at all while {@link #hang()} holds.
 */
final class Receiver implements AutoCloseable {
    record Request(String path, Map<String, List<String>> headers, String body, Instant at) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse("");
        }
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private volatile String okBody = "ok";
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hanging;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next answers' statuses, in order; after them, 200. */
    synchronized Receiver failWith(Integer... codes) {
        statuses.addAll(List.of(codes));
        return this;
    }

    Receiver answer(String body) {
        okBody = body;
        return this;
    }

    /** Takes requests and never answers them (until closed). */
    Receiver hang() {
        hanging = true;
        return this;
    }

    List<String> bodies() {
        return requests.stream().map(Request::body).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(x.getRequestURI().getPath(), Map.copyOf(x.getRequestHeaders()), body, Instant.now()));
        if (hanging) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
            return;
        }
        Integer status;
        synchronized (this) {
            status = statuses.pollFirst();
        }
        byte[] answer = (status == null ? okBody : "server_error").getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status == null ? 200 : status, answer.length);
        x.getResponseBody().write(answer);
        x.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
