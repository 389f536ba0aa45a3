package dev.spotkeeper.cli.local;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a job command in the local control plane ({@link PlaneControl}) and prints what it printed: one request on
 * loopback, with nothing else to start — no AWS SDK client, no call the plane made already.
 */
public final class PlaneClient {
    private static final int CONNECT_MILLIS = 1_000;
    /** {@code cancel} waits up to 30 s for the resident controller; a little more for the answer itself. */
    private static final int READ_MILLIS = 45_000;

    private PlaneClient() {
    }

    /**
     * The command's exit code, once its output has been written; empty when the plane does not answer at all
     * (it is stopping, or it died after the connection file was read), so the caller can go the long way.
     */
    public static Optional<Integer> run(Connection c, List<String> args, PrintWriter out, PrintWriter err) {
        if (!c.hasControl()) {
            return Optional.empty();
        }
        HttpURLConnection http;
        int status;
        byte[] answer;
        try {
            http = (HttpURLConnection) URI.create(c.controlEndpoint() + PlaneControl.PATH).toURL().openConnection();
            http.setConnectTimeout(CONNECT_MILLIS);
            http.setReadTimeout(READ_MILLIS);
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setRequestProperty("Authorization", "Bearer " + c.controlToken());
            http.setRequestProperty("Content-Type", "application/json");
            byte[] body = Json.write(Map.of("args", args)).getBytes(StandardCharsets.UTF_8);
            http.setFixedLengthStreamingMode(body.length);
            try (OutputStream o = http.getOutputStream()) {
                o.write(body);
            }
            status = http.getResponseCode();
            try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(new String(answer, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "the local control plane (pid " + c.pid()
                    + ") gave an answer that is not JSON (HTTP " + status + "); `spotkeeper local status` names its log");
        }
        if (status != 200) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "the local control plane (pid " + c.pid()
                    + ") refused the command (HTTP " + status + ": " + m.get("error") + ")");
        }
        out.print(String.valueOf(m.getOrDefault("out", "")));
        out.flush();
        err.print(String.valueOf(m.getOrDefault("err", "")));
        err.flush();
        return Optional.of(m.get("exit") instanceof Number n ? n.intValue() : 1);
    }
}
