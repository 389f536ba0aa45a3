package dev.spotkeeper.emulator.services.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relays S3 requests to S3Proxy, answering two bucket configurations itself because S3Proxy does not implement
 * them: default encryption ({@code ?encryption}; since January 2023 every AWS bucket reports SSE-S3 (AES256) by
 * default) and the public access block ({@code ?publicAccessBlock}; 404 until one is set, as AWS answers).
 * They are kept in memory; objects are not really encrypted. CreateBucket loses its LocationConstraint on the
 * way (see below). Answers are made to read as AWS's: listings without the store's directories, objects without a
 * type of their own as {@code binary/octet-stream}.
 */
public final class S3EdgeHandler implements ServiceHandler {
    private static final Pattern BUCKET_ONLY = Pattern.compile("^/([^/?]+)/?$");
    private static final String DEFAULT_ENCRYPTION = "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
            + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>"
            + "</ServerSideEncryptionConfiguration>";

    /** A bucket configuration served here: its XML root element, and the answer when none was set. */
    private record BucketConfig(String rootElement, String defaultDocument, String missingCode) {
    }

    private static final Map<String, BucketConfig> CONFIGS = Map.of(
            "encryption", new BucketConfig("ServerSideEncryptionConfiguration", DEFAULT_ENCRYPTION, ""),
            "publicAccessBlock", new BucketConfig("PublicAccessBlockConfiguration", "", "NoSuchPublicAccessBlockConfiguration"));

    /** What AWS calls an object stored without a type; the embedded store says application/unknown. */
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final Pattern OBJECT = Pattern.compile("^/([^/?]+)/.+");

    private final HttpForwarder forwarder;
    private final BiPredicate<String, String> phantom;
    /** Keyed by {@code subresource/bucket}. */
    private final Map<String, String> configs = new ConcurrentHashMap<>();

    /** A relay to a store that keeps no directories of its own. */
    public S3EdgeHandler(HttpForwarder forwarder) {
        this(forwarder, (bucket, key) -> false);
    }

    /**
     * @param phantom {@code (bucket, key)} is a directory the store lists as a key although no client put it;
     *     such keys are left out of listings, as AWS has no directories
     */
    public S3EdgeHandler(HttpForwarder forwarder, BiPredicate<String, String> phantom) {
        this.forwarder = forwarder;
        this.phantom = phantom;
    }

    @Override
    public String service() {
        return "s3";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        Matcher bucket = BUCKET_ONLY.matcher(exchange.getRequestURI().getRawPath());
        String config = query == null ? null : configQuery(query);
        if (config != null && bucket.matches()) {
            handleConfig(exchange, config, bucket.group(1));
            return;
        }
        if ("DELETE".equals(exchange.getRequestMethod()) && query == null && bucket.matches()) {
            for (String name : CONFIGS.keySet()) {
                configs.remove(name + "/" + bucket.group(1));
            }
        }
        if ("PUT".equals(exchange.getRequestMethod()) && query == null && bucket.matches()) {
            // jclouds' file and memory stores know a single location, so S3Proxy refuses any region's
            // LocationConstraint; every bucket here lives in the emulator's one region anyway.
            exchange.getRequestBody().readAllBytes();
            forwarder.forward(exchange, HttpForwarder.Rewrite.emptyBody());
            return;
        }
        HttpForwarder.ResponseRewrite answer = answer(exchange, bucket.matches() ? bucket.group(1) : null);
        if (AwsChunkedInputStream.isAwsChunked(exchange.getRequestHeaders())) {
            forwarder.forward(exchange, AwsChunkedInputStream.decoding(exchange), answer);
            return;
        }
        forwarder.forward(exchange, null, answer);
    }

    /**
     * Listings lose the store's directories; objects read without a type of their own get AWS's default type
     * (an object put without Content-Type is {@code binary/octet-stream} on AWS, per the PutObject reference).
     */
    private HttpForwarder.ResponseRewrite answer(HttpExchange exchange, String listedBucket) {
        boolean read = "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
        if (!read) {
            return null;
        }
        if (listedBucket != null) {
            return new HttpForwarder.ResponseRewrite() {
                @Override
                public boolean rewritesBody(int status, Headers headers) {
                    return status == 200;
                }

                @Override
                public byte[] body(byte[] body) {
                    return S3Listings.objectsOnly(body, listedBucket, phantom);
                }
            };
        }
        if (!OBJECT.matcher(exchange.getRequestURI().getRawPath()).matches()) {
            return null;
        }
        return new HttpForwarder.ResponseRewrite() {
            @Override
            public void headers(Headers headers) {
                String type = headers.getFirst("Content-Type");
                if ("application/unknown".equals(type)) {
                    headers.set("Content-Type", DEFAULT_CONTENT_TYPE);
                }
            }
        };
    }

    private static String configQuery(String query) {
        for (String part : query.split("&")) {
            String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
            if (CONFIGS.containsKey(name)) {
                return name;
            }
        }
        return null;
    }

    private void handleConfig(HttpExchange exchange, String name, String bucket) throws IOException {
        BucketConfig config = CONFIGS.get(name);
        String key = name + "/" + bucket;
        switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (!body.contains(config.rootElement())) {
                    reply(exchange, 400, error("MalformedXML",
                            "The request body must be a " + config.rootElement() + " document"));
                    return;
                }
                configs.put(key, body);
                exchange.sendResponseHeaders(200, -1);
            }
            case "GET" -> {
                String stored = configs.getOrDefault(key, config.defaultDocument());
                if (stored.isEmpty()) {
                    reply(exchange, 404, error(config.missingCode(), "The " + name + " configuration was not found"));
                } else {
                    reply(exchange, 200, stored);
                }
            }
            case "DELETE" -> {
                configs.remove(key);
                exchange.sendResponseHeaders(204, -1);
            }
            default -> reply(exchange, 405, error("MethodNotAllowed",
                    "The " + name + " configuration supports GET, PUT and DELETE"));
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
