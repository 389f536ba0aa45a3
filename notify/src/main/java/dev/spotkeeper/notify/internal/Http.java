package dev.spotkeeper.notify.internal;

import dev.spotkeeper.notify.Delivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One JSON POST and what it came to. What a failure says names the status, the receiver's short answer or the kind
 * of I/O failure, never the URL (its path is the secret of an incoming webhook) or a header.
 */
final class Http {
    /** The part of an answer kept in a delivery's detail. */
    static final int ANSWER = 200;

    record Answer(int status, String body) {
    }

    private Http() {
    }

    /** The answer, or a retryable delivery for a failure to get one (refused, reset, timed out). */
    static Object post(HttpClient http, URI uri, Map<String, String> headers, String body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body() == null ? "" : r.body());
        } catch (HttpTimeoutException e) {
            return Delivery.retry("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return Delivery.retry("could not reach it (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.retry("interrupted");
        } catch (IllegalArgumentException e) {
            return Delivery.refused("not a usable URL");
        }
    }

    /** A 2xx is delivered; 408, 429 and 5xx may succeed later; any other status never will. */
    static Delivery byStatus(Answer a) {
        String detail = "HTTP " + a.status() + brief(a.body());
        if (a.status() >= 200 && a.status() < 300) {
            return Delivery.ok(detail);
        }
        if (a.status() == 408 || a.status() == 429 || a.status() >= 500) {
            return Delivery.retry(detail);
        }
        return Delivery.refused(detail);
    }

    static String brief(String body) {
        String b = body.strip().replaceAll("\\s+", " ");
        if (b.isEmpty()) {
            return "";
        }
        return ": " + (b.length() > ANSWER ? b.substring(0, ANSWER) + "…" : b);
    }

    /** The URL a reference resolved to, if it is an http or https one with a host; else IllegalArgumentException. */
    static URI url(String text) {
        URI u = URI.create(text.trim());
        if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        return u;
    }

    /** The host a URL names, for what a notifier says it sends to. */
    static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "?" : h;
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }
}
