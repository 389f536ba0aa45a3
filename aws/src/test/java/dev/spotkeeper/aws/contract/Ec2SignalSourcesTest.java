package dev.spotkeeper.aws.contract;

import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.aws.AwsSignals;
import dev.spotkeeper.testkit.MutableClock;
import dev.spotkeeper.testkit.ec2.FakeEc2Endpoint;
import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The EC2 adapters, through the real SDK, against the loopback EC2 endpoint. */
class Ec2SignalSourcesTest extends SignalSourcesContract {
    private FakeEc2Endpoint ec2;
    private AwsSignals signals;

    @Override
    protected Sources create() {
        ec2 = FakeEc2Endpoint.start();
        ZONES.forEach(z -> ec2.zone(z[0], z[1], z[2]));
        SCORES.forEach(s -> ec2.score(s[0], Integer.parseInt(s[1])));
        PRICES.forEach(p -> ec2.price(p.region(), p.azName(), p.type(), p.price(), p.time()));
        AwsSettings settings = AwsSettings.defaults().withEndpoint(ec2.uri()).withMaxAttempts(1)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(),
                        UUID.randomUUID().toString())));
        signals = new AwsSignals(settings, URI.create("http://127.0.0.1:1/unused.json"),
                MutableClock.at("2026-03-01T00:00:00Z"));
        return new Sources(signals.prices(), signals.zones(), signals.placementScores());
    }

    @Override
    protected void release() {
        signals.close();
        ec2.close();
    }
}
