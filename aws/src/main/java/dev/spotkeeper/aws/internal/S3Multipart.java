package dev.spotkeeper.aws.internal;

import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A multipart upload of one large file: parts of equal size in order, then CompleteMultipartUpload;
 * aborted on failure so no orphaned parts keep costing storage. S3 takes at most 5 GB in one PUT and advises
 * multipart from about 100 MB ("Uploading and copying objects using multipart upload", S3 user guide).
 */
final class S3Multipart {
    static final long THRESHOLD = 64L * 1024 * 1024;
    static final int PART_SIZE = 16 * 1024 * 1024;
    /** S3's smallest part but the last ("Amazon S3 multipart upload limits"). */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final int partSize;

    S3Multipart(S3Client s3, String bucket, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    void upload(String key, Path file, long size) {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[partSize];
            int number = 1;
            for (long sent = 0; sent < size; number++) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(partSize, size - sent));
                if (n == 0) {
                    throw new IOException(file + " shrank while it was uploaded");
                }
                int part = number;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(part),
                        RequestBody.fromBytes(Arrays.copyOf(buffer, n))).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
                sent += n;
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (IOException e) {
            abort(key, uploadId);
            throw SpotkeeperException.invalidArgument("cannot read " + file + " while uploading it: " + e.getMessage());
        } catch (SdkException e) {
            abort(key, uploadId);
            throw e;
        }
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // the upload already failed; a lifecycle rule on the bucket cleans up what an abort cannot
        }
    }
}
