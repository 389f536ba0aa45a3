package dev.spotkeeper.controller.archfixture;

import dev.spotkeeper.aws.AwsPorts;
import dev.spotkeeper.aws.internal.S3Buckets;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A controller class that breaks three rules at once (it uses an adapter, that adapter's internals and an SDK
 * type), for {@code RulesBiteTest}: test code, so the architecture rules over production classes never see it.
 */
public final class RuleBreaker {
    AwsPorts ports;
    S3Client s3;

    String bucket() {
        return S3Buckets.class.getSimpleName();
    }
}
