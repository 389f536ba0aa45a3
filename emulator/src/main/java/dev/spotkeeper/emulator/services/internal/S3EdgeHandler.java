package dev.spotkeeper.emulator.services.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relays S3 requests to S3Proxy, answering the bucket default-encryption calls itself: S3Proxy does not
 * implement {@code ?encryption}, and since January 2023 every AWS bucket reports SSE-S3 (AES256) by default.
 * CreateBucket loses its LocationConstraint on the way (see below).
 */
public final class S3EdgeHandler implements ServiceHandler {
    private static final Pattern BUCKET_ONLY = Pattern.compile("^/([^/?]+)/?$");
    private static final String DEFAULT_ENCRYPTION = "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
            + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>"
            + "</ServerSideEncryptionConfiguration>";

    private final HttpForwarder forwarder;
    private final Map<String, String> encryption = new ConcurrentHashMap<>();

    public S3EdgeHandler(HttpForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public String service() {
        return "s3";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        Matcher bucket = BUCKET_ONLY.matcher(exchange.getRequestURI().getRawPath());
        if (query != null && isEncryptionQuery(query) && bucket.matches()) {
            handleEncryption(exchange, bucket.group(1));
            return;
        }
        if ("DELETE".equals(exchange.getRequestMethod()) && query == null && bucket.matches()) {
            encryption.remove(bucket.group(1));
        }
        if ("PUT".equals(exchange.getRequestMethod()) && query == null && bucket.matches()) {
            // jclouds' file and memory stores know a single location, so S3Proxy refuses any region's
            // LocationConstraint; every bucket here lives in the emulator's one region anyway.
            exchange.getRequestBody().readAllBytes();
            forwarder.forward(exchange, HttpForwarder.Rewrite.emptyBody());
            return;
        }
        if (AwsChunkedInputStream.isAwsChunked(exchange.getRequestHeaders())) {
            forwarder.forward(exchange, AwsChunkedInputStream.decoding(exchange));
            return;
        }
        forwarder.forward(exchange);
    }

    private static boolean isEncryptionQuery(String query) {
        for (String part : query.split("&")) {
            if (part.equals("encryption") || part.startsWith("encryption=")) {
                return true;
            }
        }
        return false;
    }

    private void handleEncryption(HttpExchange exchange, String bucket) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (!body.contains("ServerSideEncryptionConfiguration")) {
                    reply(exchange, 400, error("MalformedXML",
                            "The request body must be a ServerSideEncryptionConfiguration document"));
                    return;
                }
                encryption.put(bucket, body);
                exchange.sendResponseHeaders(200, -1);
            }
            case "GET" -> reply(exchange, 200, encryption.getOrDefault(bucket, DEFAULT_ENCRYPTION));
            case "DELETE" -> {
                encryption.remove(bucket);
                exchange.sendResponseHeaders(204, -1);
            }
            default -> reply(exchange, 405, error("MethodNotAllowed",
                    "The encryption configuration supports GET, PUT and DELETE"));
        }
    }

    private static String error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>";
    }

    private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
