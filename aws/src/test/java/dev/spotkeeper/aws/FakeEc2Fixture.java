package dev.spotkeeper.aws;

import dev.spotkeeper.testkit.LoopbackFileServer;
import dev.spotkeeper.testkit.ec2.FakeEc2Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A fake EC2 endpoint with two regions of data, and settings that point the real SDK at it. */
final class FakeEc2Fixture {
    static final String ADVISOR_RESOURCE = "/dev/spotkeeper/core/market/data/spot-advisor-data-2025-07.json";

    private FakeEc2Fixture() {
    }

    static FakeEc2Endpoint endpointWithMarket() {
        FakeEc2Endpoint ec2 = FakeEc2Endpoint.start();
        // AZ names and ids deliberately do not line up alphabetically: the mapping is per account.
        ec2.zone("us-east-1", "us-east-1a", "use1-az4").zone("us-east-1", "us-east-1b", "use1-az6")
                .zone("us-east-1", "us-east-1c", "use1-az1")
                .zone("eu-west-1", "eu-west-1a", "euw1-az3").zone("eu-west-1", "eu-west-1b", "euw1-az1");
        ec2.score("use1-az4", 9).score("use1-az6", 5).score("use1-az1", 2).score("euw1-az3", 7).score("euw1-az1", 8);
        Instant older = Instant.parse("2026-02-20T00:00:00Z");
        Instant newer = Instant.parse("2026-02-28T06:30:00Z");
        for (String type : new String[] {"m5.large", "m5a.large", "m6i.large"}) {
            for (String az : new String[] {"us-east-1a", "us-east-1b", "us-east-1c"}) {
                ec2.price("us-east-1", az, type, "0.0500", older);
                ec2.price("us-east-1", az, type, "0.0" + (38 + az.charAt(az.length() - 1) - 'a'), newer);
            }
            for (String az : new String[] {"eu-west-1a", "eu-west-1b"}) {
                ec2.price("eu-west-1", az, type, "0.0410", newer);
            }
        }
        return ec2;
    }

    static AwsSettings settings(URI endpoint) {
        // Generated per run: no key is written down anywhere.
        String key = "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        String secret = UUID.randomUUID() + "/" + UUID.randomUUID();
        return AwsSettings.defaults().withEndpoint(endpoint).withMaxAttempts(1)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)));
    }

    static LoopbackFileServer advisorServer() {
        try (InputStream in = FakeEc2Fixture.class.getResourceAsStream(ADVISOR_RESOURCE)) {
            return LoopbackFileServer.serving("/spot-advisor-data.json", "application/json", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port nobody listens on. */
    static URI closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
