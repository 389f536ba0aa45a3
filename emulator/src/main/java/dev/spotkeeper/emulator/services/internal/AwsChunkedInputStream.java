package dev.spotkeeper.emulator.services.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decodes S3's {@code aws-chunked} upload encoding ({@code <hex size>[;chunk-signature=…]\r\n<data>\r\n} …,
 * a zero-size chunk, then optional trailers such as {@code x-amz-checksum-crc32}). The AWS SDKs and CLI send
 * it for streaming uploads; S3Proxy decodes it only when it verifies signatures, which the emulator does not.
 * Chunk signatures and trailing checksums are not verified.
 */
public final class AwsChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remainingInChunk;
    private boolean finished;

    public AwsChunkedInputStream(InputStream in) {
        this.in = in;
    }

    static boolean isAwsChunked(Headers headers) {
        String sha = headers.getFirst("X-amz-content-sha256");
        String encoding = headers.getFirst("Content-Encoding");
        return (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
    }

    /** The relay rewrite that sends the decoded payload with its decoded length. */
    static HttpForwarder.Rewrite decoding(HttpExchange exchange) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        String decodedLength = headers.getFirst("X-amz-decoded-content-length");
        InputStream decoded = new AwsChunkedInputStream(exchange.getRequestBody());
        long length;
        if (decodedLength != null) {
            length = Long.parseLong(decodedLength.trim());
        } else {
            byte[] all = decoded.readAllBytes();
            length = all.length;
            decoded = new java.io.ByteArrayInputStream(all);
        }
        List<String> encodings = new ArrayList<>();
        String encoding = headers.getFirst("Content-Encoding");
        if (encoding != null) {
            for (String e : encoding.split(",")) {
                if (!e.isBlank() && !e.trim().equalsIgnoreCase("aws-chunked")) {
                    encodings.add(e.trim());
                }
            }
        }
        Map<String, String> set = encodings.isEmpty()
                ? Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                : Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD", "Content-Encoding", String.join(",", encodings));
        return new HttpForwarder.Rewrite(decoded, length, Set.of("content-encoding", "x-amz-content-sha256",
                "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-sdk-checksum-algorithm"), set);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (finished) {
            return -1;
        }
        if (remainingInChunk == 0) {
            remainingInChunk = nextChunkSize();
            if (remainingInChunk == 0) {
                finished = true;
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remainingInChunk));
        if (n < 0) {
            throw new IOException("aws-chunked body ended inside a chunk");
        }
        remainingInChunk -= n;
        if (remainingInChunk == 0) {
            readLine(); // the CRLF after the chunk data
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String header = readLine();
        if (header == null) {
            throw new IOException("aws-chunked body ended before its final chunk");
        }
        int semicolon = header.indexOf(';');
        String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed aws-chunked chunk header '" + header + "'");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.US_ASCII);
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }
}
