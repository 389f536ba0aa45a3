package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.internal.DynamoDbStateStore;
import dev.spotkeeper.aws.internal.DynamoDbTables;
import dev.spotkeeper.aws.internal.Ec2Compute;
import dev.spotkeeper.aws.internal.S3Buckets;
import dev.spotkeeper.aws.internal.SnsTopics;
import dev.spotkeeper.aws.internal.SqsEventQueue;
import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.S3ObjectStore;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.core.checkpoint.ObjectStore;
import dev.spotkeeper.core.cloud.ComputePort;
import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.SecretStorePort;
import dev.spotkeeper.core.cloud.TopicPort;
import dev.spotkeeper.core.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The controller's ports on AWS, all built from one {@link AwsSettings}: with an endpoint override (the local
 * emulator's edge URL and its generated credentials) every service goes there, without one to AWS's regional
 * endpoints, with no other difference. Compute works in any region (one EC2 client per region); S3, SQS and
 * DynamoDB in {@code region}, the controller's home region.
 *
 * <p>The setup helpers ({@link #ensureEventQueue}, {@link #ensureBucket}, {@link #ensureStateTable}) create
 * what the ports need, with the settings spotkeeper relies on, and are safe to call again.
 */
public final class AwsPorts implements AutoCloseable {
    private final AwsSettings settings;
    private final String region;
    private final Clock clock;
    private final Ec2Clients ec2;
    private final SdkHttpClient http;
    private final S3Client s3;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final Ec2Compute compute;
    private final SnsTopics topics;
    private volatile dev.spotkeeper.awsclient.SecretsManagerStore secrets;
    private volatile AwsFleet fleets;

    public AwsPorts(AwsSettings settings, String region, Clock clock) {
        this(settings, region, clock, java.util.Optional.empty());
    }

    /** @param instanceProfile the instance profile (name or ARN) instances are launched with; empty for none */
    public AwsPorts(AwsSettings settings, String region, Clock clock, java.util.Optional<String> instanceProfile) {
        this(settings, region, clock, instanceProfile, java.util.Optional.empty());
    }

    /**
     * @param instanceProfile the instance profile (name or ARN) instances are launched with; empty for none
     * @param launchTemplate the launch template (name) every instance is launched through, e.g. the deployed stack's;
     *     empty for one per workload, made when missing
     */
    public AwsPorts(AwsSettings settings, String region, Clock clock, java.util.Optional<String> instanceProfile,
                    java.util.Optional<String> launchTemplate) {
        this.settings = requireNonNull(settings, "settings is null");
        this.region = requireNonNull(region, "region is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ec2 = new Ec2Clients(settings);
        // A long poll holds the connection for up to 20 s: the socket timeout must outlast it.
        this.http = SdkClients.urlConnectionHttp(Duration.ofSeconds(40));
        ClientSettings client = settings.client(region);
        this.s3 = SdkClients.s3(client, http);
        this.sqs = SdkClients.configure(SqsClient.builder(), client).httpClient(http).build();
        this.dynamo = SdkClients.configure(DynamoDbClient.builder(), client).httpClient(http).build();
        this.compute = new Ec2Compute(ec2, instanceProfile, launchTemplate);
        this.topics = new SnsTopics(r -> SdkClients.configure(SnsClient.builder(), settings.client(r)).httpClient(http)
                .build(), r -> endpoint("sns", r));
    }

    public AwsSettings settings() {
        return settings;
    }

    public String region() {
        return region;
    }

    /** EC2 in any region: launches through per-workload launch templates that require IMDSv2. */
    public ComputePort compute() {
        return compute;
    }

    /** The events queue at {@code queueUrl} (as {@link #ensureEventQueue} returns it). */
    public EventQueuePort eventQueue(String queueUrl) {
        return new SqsEventQueue(sqs, queueUrl, endpoint("sqs"));
    }

    /** Creates the events queue (SSE-SQS, five minutes' retention) unless it exists; returns its URL. */
    public String ensureEventQueue(String name) {
        return SqsEventQueue.createQueue(sqs, name, endpoint("sqs"));
    }

    /** Objects in {@code bucket} under {@code prefix} (empty for the whole bucket). */
    public ObjectStore objectStore(String bucket, String prefix) {
        return new S3ObjectStore(s3, bucket, prefix);
    }

    /**
     * Creates the bucket unless it exists, and makes it private: SSE-S3 default encryption and public access
     * blocked. The local emulator's S3 cannot block public access (it has none to block); that step is skipped
     * only there, and the answer says so.
     */
    public BucketSetup ensureBucket(String bucket) {
        return S3Buckets.ensurePrivateBucket(s3, bucket, region, endpoint("s3"));
    }

    /** The state store in {@code table} (as {@link #ensureStateTable} creates it). */
    public StateStore stateStore(String table) {
        return new DynamoDbStateStore(dynamo, table, endpoint("dynamodb"), clock);
    }

    /** Creates the state table (pk/sk, on-demand, TTL) unless it exists; true when it was created. */
    public boolean ensureStateTable(String table) {
        return DynamoDbTables.ensureStateTable(dynamo, table, endpoint("dynamodb"));
    }

    /** SNS topics, each published to in the region of its ARN: what notifications' {@code sns} sink sends to. */
    public TopicPort topics() {
        return topics;
    }

    /** Elastic IPs in any region: a service's stable address. */
    public dev.spotkeeper.core.cloud.AddressPort addresses() {
        return new dev.spotkeeper.aws.internal.Ec2Addresses(ec2);
    }

    /**
     * The regions whose Auto Scaling, Elastic Load Balancing and EC2 clients the fleets' port has built: none until a
     * fleet is handled (a controller that runs only jobs and services builds none).
     */
    public java.util.Set<String> fleetClientRegions() {
        AwsFleet f = fleets;
        return f == null ? java.util.Set.of() : f.clientRegions();
    }

    /** Security groups in any region: a service's own, admitting its database port from what it names. */
    public dev.spotkeeper.core.cloud.SecurityGroupPort securityGroups() {
        return new dev.spotkeeper.aws.internal.Ec2SecurityGroups(ec2);
    }

    /** Auto Scaling groups behind load balancers in any region: what a fleet runs on ({@link AwsFleet}). */
    public dev.spotkeeper.core.cloud.FleetPort fleets() {
        AwsFleet f = fleets;
        if (f == null) {
            synchronized (this) {
                if (fleets == null) {
                    fleets = new AwsFleet(settings);
                }
                f = fleets;
            }
        }
        return f;
    }

    /** SNS in a region, for setting topics and subscriptions up. */
    public SnsClient sns(String inRegion) {
        return topics.client(inRegion);
    }

    /** Secrets Manager in the home region, for what a workload file names {@code secret:NAME}. */
    public SecretStorePort secrets() {
        dev.spotkeeper.awsclient.SecretsManagerStore s = secrets;
        if (s == null) {
            synchronized (this) {
                if (secrets == null) {
                    secrets = new dev.spotkeeper.awsclient.SecretsManagerStore(settings.client(region));
                }
                s = secrets;
            }
        }
        return s;
    }

    private String endpoint(String service) {
        return endpoint(service, region);
    }

    private String endpoint(String service, String inRegion) {
        return settings.endpoint() != null ? settings.endpoint().toString()
                : "https://" + service + "." + inRegion + ".amazonaws.com";
    }

    @Override
    public void close() {
        s3.close();
        sqs.close();
        dynamo.close();
        topics.close();
        if (secrets != null) {
            secrets.close();
        }
        if (fleets != null) {
            fleets.close();
        }
        http.close();
        ec2.close();
    }
}
