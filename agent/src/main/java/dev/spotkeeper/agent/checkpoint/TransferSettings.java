package dev.spotkeeper.agent.checkpoint;

/**
 * How checkpoints move. A file larger than {@code packLimit} is stored as chunk objects of {@code chunkSize} bytes
 * (the last one shorter); smaller files are packed together into pack objects of about {@code chunkSize} bytes.
 * At most {@code parallelism} chunks or packs are in flight. {@code assumedBytesPerSecond} is the upload rate
 * planning assumes before the first sync measured one.
 */
public record TransferSettings(long chunkSize, long packLimit, int parallelism, double assumedBytesPerSecond) {
    public static final long MIB = 1024 * 1024;

    public TransferSettings {
        if (chunkSize < 64 * 1024 || chunkSize > 1024 * MIB) {
            throw new IllegalArgumentException("chunkSize must be between 64 KiB and 1 GiB, was " + chunkSize);
        }
        if (packLimit < 0 || packLimit > chunkSize) {
            throw new IllegalArgumentException("packLimit must be between 0 and chunkSize, was " + packLimit);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1");
        }
        if (!(assumedBytesPerSecond > 0)) {
            throw new IllegalArgumentException("assumedBytesPerSecond must be > 0");
        }
    }

    /**
     * 16 MiB chunks, files up to 4 MiB packed, 8 requests in flight, 50 MB/s assumed (a small instance's share of
     * network to S3). 16 MiB is the request size AWS's S3 performance guidelines suggest for byte-range transfers
     * (8–16 MB): large enough that per-request latency is amortised, small enough that rewriting 5 % of a file
     * re-sends little and that several requests keep the instance's bandwidth busy.
     */
    public static TransferSettings defaults() {
        return new TransferSettings(16 * MIB, 4 * MIB, 8, 50e6);
    }

    public TransferSettings withChunkSize(long size, long limit) {
        return new TransferSettings(size, limit, parallelism, assumedBytesPerSecond);
    }

    public TransferSettings withParallelism(int requests) {
        return new TransferSettings(chunkSize, packLimit, requests, assumedBytesPerSecond);
    }
}
