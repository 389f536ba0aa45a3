package dev.spotkeeper.aws;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Whether the SDK's default chain finds credentials: the opt-in *IT classes skip themselves when not. */
final class AwsCredentials {
    private AwsCredentials() {
    }

    static boolean resolve() {
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
