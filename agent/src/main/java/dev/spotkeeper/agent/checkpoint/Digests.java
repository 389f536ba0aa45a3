package dev.spotkeeper.agent.checkpoint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 helpers. A file stored in several extents (chunks) is identified by a composite digest, as S3 does for
 * multipart checksums: the SHA-256 of the concatenated binary extent digests, suffixed with
 * {@code -<number of extents>}. Chunks can then be hashed in parallel and each verified on its own while it downloads.
 */
final class Digests {
    private static final HexFormat HEX = HexFormat.of();

    private Digests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    static String composite(List<String> partDigests) {
        MessageDigest d = sha256();
        for (String p : partDigests) {
            d.update(HEX.parseHex(p));
        }
        return HEX.formatHex(d.digest()) + "-" + partDigests.size();
    }
}
