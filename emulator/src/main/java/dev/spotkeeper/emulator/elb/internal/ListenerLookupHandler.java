package dev.spotkeeper.emulator.elb.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.json.JsonWire;
import dev.spotkeeper.emulator.spi.LoadBalancerControl;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /_spotkeeper/load-balancers/listener?arn=ARN&port=80} on the edge endpoint: where the load balancer's
 * listener is really served on 127.0.0.1 ({@code {"url": "http://127.0.0.1:PORT"}}), for a client in another
 * process (a CLI against a background plane) that has the load balancer's DNS name only, which names no port. It
 * takes no key: an internet-facing load balancer is public on AWS too, and the emulator answers only on 127.0.0.1.
 */
public final class ListenerLookupHandler implements ServiceHandler {
    public static final String SERVICE = "spotkeeper-elb";
    public static final String PATH = "/_spotkeeper/load-balancers/listener";

    private final LoadBalancerControl control;

    public ListenerLookupHandler(LoadBalancerControl control) {
        this.control = control;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getRawPath().equals(PATH) || !ex.getRequestMethod().equals("GET")) {
            reply(ex, 404, Map.of("error", "no emulator path " + ex.getRequestMethod() + " "
                    + ex.getRequestURI().getRawPath() + "; there is GET " + PATH + "?arn=ARN&port=PORT"));
            return;
        }
        Map<String, String> query = JsonWire.query(ex.getRequestURI().getRawQuery());
        String arn = query.getOrDefault("arn", "");
        int port;
        try {
            port = Integer.parseInt(query.getOrDefault("port", "80"));
        } catch (NumberFormatException e) {
            reply(ex, 400, Map.of("error", "port must be a number, was " + query.get("port")));
            return;
        }
        if (arn.isEmpty()) {
            reply(ex, 400, Map.of("error", "the request needs arn, the load balancer's ARN"));
            return;
        }
        Optional<URI> url = control.listenerEndpoint(arn, port);
        if (url.isEmpty()) {
            reply(ex, 404, Map.of("error", "no listener on port " + port + " of load balancer " + arn));
            return;
        }
        reply(ex, 200, Map.of("url", url.get().toString()));
    }

    private static void reply(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
        JsonWire.reply(ex, status, body, JsonWire.REST_JSON);
    }
}
