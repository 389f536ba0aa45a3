package dev.spotkeeper.emulator.cloudformation.internal;

import java.net.URI;

/**
 * The path {@code /bucket/key} of a template's URL in S3, whether path-style on any endpoint
 * ({@code http://127.0.0.1:4566/bucket/key}, {@code https://s3.us-east-1.amazonaws.com/bucket/key}) or
 * virtual-hosted ({@code https://bucket.s3.amazonaws.com/key}).
 */
final class S3Urls {
    private S3Urls() {
    }

    static String path(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw dev.spotkeeper.emulator.query.QueryError.validation("TemplateURL must be a supported URL.");
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        int s3 = host.indexOf(".s3.");
        if (s3 < 0) {
            s3 = host.indexOf(".s3-");
        }
        if (s3 > 0) {
            return "/" + host.substring(0, s3) + path;
        }
        return path;
    }
}
