package dev.spotkeeper.awsclient;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 that honours {@code PAYLOAD_SIGNING_ENABLED = false} on plain-HTTP endpoints too. The SDK signs every
 * payload sent over HTTP whatever that property says (aws-sdk-java-v2 PR #4701 keeps this "for security"), so a
 * PUT to a local S3 server costs a SHA-256 pass on the client and, on servers such as S3Proxy, buffering the whole
 * body in memory to check it. The scheme is not part of the signature, so the request is signed as if it went over
 * HTTPS (where the SDK does honour the property) and sent over HTTP unchanged. Over HTTPS nothing changes. The
 * bytes of a checkpoint are still verified end to end: every chunk and file against the manifest's SHA-256.
 */
final class UnsignedPayloadSigner implements HttpSigner<AwsCredentialsIdentity> {
    private final AwsV4HttpSigner delegate = AwsV4HttpSigner.create();

    /** The SigV4 auth scheme with this signer, to register on a client builder. */
    static AuthScheme<AwsCredentialsIdentity> authScheme() {
        UnsignedPayloadSigner signer = new UnsignedPayloadSigner();
        return new AuthScheme<>() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public HttpSigner<AwsCredentialsIdentity> signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest http = request.request();
        boolean unsigned = Boolean.FALSE.equals(request.property(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED));
        if (!unsigned || !"http".equalsIgnoreCase(http.protocol())) {
            return delegate.sign(request);
        }
        // Port 80 is the default of http as 443 is of https: the Host header the signer derives stays the same.
        int port = http.port() == 80 ? 443 : http.port();
        SdkHttpRequest asHttps = http.toBuilder().protocol("https").port(port).build();
        SignedRequest signed = delegate.sign(request.copy(b -> b.request(asHttps)));
        SdkHttpRequest back = signed.request().toBuilder().protocol(http.protocol()).port(http.port()).build();
        return signed.copy(b -> b.request(back));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return delegate.signAsync(request);
    }
}
