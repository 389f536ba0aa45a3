package dev.spotkeeper.emulator.services.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;

/** Serves a signing name at the edge by relaying every request to one embedded server. */
public final class ForwardingHandler implements ServiceHandler {
    private final String service;
    private final HttpForwarder forwarder;

    public ForwardingHandler(String service, HttpForwarder forwarder) {
        this.service = service;
        this.forwarder = forwarder;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        forwarder.forward(exchange);
    }
}
