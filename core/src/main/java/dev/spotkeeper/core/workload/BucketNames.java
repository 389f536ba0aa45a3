package dev.spotkeeper.core.workload;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules of S3 general purpose buckets, from the S3 User Guide ("General purpose bucket naming rules"),
 * checked when a workload file is read so that a bad name is refused at its line instead of failing later inside
 * the S3 client.
 */
public final class BucketNames {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9.-]+");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3",
            "--table-s3");

    private BucketNames() {
    }

    /** What is wrong with {@code bucket} as a bucket name, or empty when S3 would accept it. */
    public static Optional<String> problem(String bucket) {
        if (bucket.length() < 3 || bucket.length() > 63) {
            return Optional.of("must be 3 to 63 characters long, '" + bucket + "' has " + bucket.length());
        }
        if (!ALLOWED.matcher(bucket).matches()) {
            return Optional.of("may hold only lowercase letters, digits, '.' and '-'"
                    + (bucket.contains("_") ? " (no '_': write '-')" : "")
                    + (!bucket.equals(bucket.toLowerCase(java.util.Locale.ROOT)) ? " (no capitals)" : ""));
        }
        if (!Character.isLetterOrDigit(bucket.charAt(0)) || !Character.isLetterOrDigit(bucket.charAt(bucket.length() - 1))) {
            return Optional.of("must begin and end with a letter or a digit");
        }
        if (bucket.contains("..")) {
            return Optional.of("must not hold two '.' in a row");
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            return Optional.of("must not be formatted as an IP address");
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (bucket.startsWith(prefix)) {
                return Optional.of("must not start with '" + prefix + "', which S3 reserves");
            }
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (bucket.endsWith(suffix)) {
                return Optional.of("must not end with '" + suffix + "', which S3 reserves");
            }
        }
        return Optional.empty();
    }
}
