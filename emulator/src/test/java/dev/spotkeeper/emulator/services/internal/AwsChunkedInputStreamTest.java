package dev.spotkeeper.emulator.services.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AwsChunkedInputStreamTest {
    private static byte[] decode(String encoded) throws IOException {
        return new AwsChunkedInputStream(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)))
                .readAllBytes();
    }

    @Test
    void signedChunksWithTrailer_decodeToThePayload() throws IOException {
        String encoded = "5;chunk-signature=ab12\r\nhello\r\n6;chunk-signature=cd34\r\n world\r\n"
                + "0;chunk-signature=ef56\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
        assertThat(new String(decode(encoded), StandardCharsets.US_ASCII)).isEqualTo("hello world");
    }

    @Test
    void unsignedChunks_decodeToThePayload() throws IOException {
        assertThat(new String(decode("b\r\nhello world\r\n0\r\n\r\n"), StandardCharsets.US_ASCII)).isEqualTo("hello world");
    }

    @Test
    void truncatedBody_isAnError() {
        assertThatThrownBy(() -> decode("b\r\nhello")).isInstanceOf(IOException.class).hasMessageContaining("inside a chunk");
        assertThatThrownBy(() -> decode("zz\r\nhello")).isInstanceOf(IOException.class).hasMessageContaining("chunk header");
    }
}
