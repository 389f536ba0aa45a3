package dev.spotkeeper.agent.checkpoint;

/**
 * How checkpoints move. Files above {@code multipartThreshold} go in parts of {@code partSize} (16 MiB: small
 * enough that a partial rewrite re-sends little, large enough for S3's 10,000-part limit up to 156 GiB), with at
 * most {@code parallelism} parts or files in flight. {@code assumedBytesPerSecond} is the upload rate planning
 * assumes before the first sync measured one.
 */
public record TransferSettings(long partSize, long multipartThreshold, int parallelism, double assumedBytesPerSecond) {
    public static final long MIB = 1024 * 1024;

    public TransferSettings {
        if (partSize < 5 * MIB) {
            throw new IllegalArgumentException("S3 parts are at least 5 MiB, was " + partSize);
        }
        if (multipartThreshold < partSize) {
            throw new IllegalArgumentException("multipartThreshold must be >= partSize");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1");
        }
        if (!(assumedBytesPerSecond > 0)) {
            throw new IllegalArgumentException("assumedBytesPerSecond must be > 0");
        }
    }

    /** 16 MiB parts above 32 MiB, 8 in flight, 50 MB/s assumed (a small instance's share of network to S3). */
    public static TransferSettings defaults() {
        return new TransferSettings(16 * MIB, 32 * MIB, 8, 50e6);
    }

    public TransferSettings withPartSize(long size, long threshold) {
        return new TransferSettings(size, threshold, parallelism, assumedBytesPerSecond);
    }
}
