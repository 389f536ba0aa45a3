package dev.spotkeeper.aws;

import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deploys a synthesised CDK stack ({@code cdk.out}) through CloudFormation, and destroys it: the file assets
 * uploaded to the buckets the assets manifest names, a change set created and executed, the stack's events reported
 * as progress lines until it settles; a failed deploy is rolled back by CloudFormation and reported with its
 * reason. Works against AWS and against the emulator alike.
 */
public final class StackDeployment implements AutoCloseable {
    /** What a deploy did: whether anything changed, the stack's final status and its outputs. */
    public record Deployed(boolean changed, String status, Map<String, String> outputs) {
        public Deployed {
            outputs = Map.copyOf(outputs);
        }
    }

    /** What a destroy left: the buckets and tables kept because they hold data. */
    public record Destroyed(List<String> kept) {
        public Destroyed {
            kept = List.copyOf(kept);
        }
    }

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofMinutes(60);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final AwsSettings settings;
    private final String region;
    private final String account;
    private final Clock clock;
    private final SdkHttpClient http = SdkClients.urlConnectionHttp(Duration.ofSeconds(60));
    private final CloudFormationClient cfn;
    private final S3Client s3;
    private final DynamoDbClient dynamo;

    public StackDeployment(AwsSettings settings, String region, String account, Clock clock) {
        this.settings = settings;
        this.region = region;
        this.account = account;
        this.clock = clock;
        ClientSettings client = settings.client(region);
        this.cfn = SdkClients.configure(CloudFormationClient.builder(), client).httpClient(http).build();
        this.s3 = SdkClients.s3(client, http);
        this.dynamo = SdkClients.configure(DynamoDbClient.builder(), client).httpClient(http).build();
    }

    /**
     * Uploads the assets of {@code cdkOut}, then creates or updates {@code stackName} from its template and waits.
     *
     * @throws SpotkeeperException {@code CLOUD_ERROR} when CloudFormation refuses the change set or the stack rolls
     *                             back, with the failed resources' reasons
     */
    public Deployed deploy(Path cdkOut, String stackName, Consumer<String> progress) {
        String templateUrl = uploadAssets(cdkOut, stackName, progress);
        Optional<Stack> existing = stack(stackName).filter(s -> !s.stackStatusAsString().equals("REVIEW_IN_PROGRESS"));
        if (existing.isPresent() && existing.get().stackStatusAsString().equals("ROLLBACK_COMPLETE")) {
            throw SpotkeeperException.invalidArgument("stack " + stackName + " is in ROLLBACK_COMPLETE (its first"
                    + " deploy failed) and cannot be updated: run `spotkeeper destroy` and deploy again");
        }
        ChangeSetType type = existing.isPresent() ? ChangeSetType.UPDATE : ChangeSetType.CREATE;
        String name = "spotkeeper-" + clock.millis();
        String id;
        try {
            id = cfn.createChangeSet(b -> b.stackName(stackName).changeSetName(name).changeSetType(type)
                    .templateURL(templateUrl).capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM)
                    .description("spotkeeper deploy")).id();
        } catch (CloudFormationException e) {
            throw refused("CloudFormation refused the change set for " + stackName, e);
        }
        DescribeChangeSetResponse cs = awaitChangeSet(id);
        if (cs.statusAsString().equals("FAILED")) {
            String reason = cs.statusReason() == null ? "" : cs.statusReason();
            cfn.deleteChangeSet(b -> b.changeSetName(id));
            if (reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")) {
                progress.accept("no changes: stack " + stackName + " is up to date");
                Stack s = stack(stackName).orElseThrow();
                return new Deployed(false, s.stackStatusAsString(), outputs(s));
            }
            throw SpotkeeperException.of(ErrorCode.CLOUD_ERROR, "CloudFormation could not make a change set for "
                    + stackName + ": " + reason);
        }
        progress.accept((type == ChangeSetType.CREATE ? "creating" : "updating") + " stack " + stackName + " ("
                + cs.changes().size() + " resource change(s))");
        Instant since = clock.instant().minusSeconds(1);
        cfn.executeChangeSet(b -> b.changeSetName(id));
        Stack done = follow(cs.stackId(), since, progress);
        String status = done.stackStatusAsString();
        if (!status.equals("CREATE_COMPLETE") && !status.equals("UPDATE_COMPLETE")) {
            throw SpotkeeperException.of(ErrorCode.CLOUD_ERROR, "the deploy of stack " + stackName + " failed and was"
                    + " rolled back (" + status + "): " + failures(cs.stackId(), since));
        }
        return new Deployed(true, status, outputs(done));
    }

    /** Uploads {@code file} to {@code s3://bucket/key} (the agent's jar into the artifacts bucket). */
    public void upload(Path file, String bucket, String key) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
    }

    /**
     * Deletes the stack; then the buckets and tables it retained are deleted when empty, or with their data when
     * {@code deleteData}, else kept.
     */
    public Destroyed destroy(String stackName, boolean deleteData, Consumer<String> progress) {
        Optional<Stack> found = stack(stackName);
        if (found.isEmpty()) {
            progress.accept("no stack " + stackName + ": nothing to destroy");
            return new Destroyed(List.of());
        }
        String stackId = found.get().stackId();
        List<StackResource> resources = cfn.describeStackResources(b -> b.stackName(stackId)).stackResources();
        Instant since = clock.instant().minusSeconds(1);
        cfn.deleteStack(b -> b.stackName(stackId));
        Stack done = follow(stackId, since, progress);
        if (!done.stackStatusAsString().equals("DELETE_COMPLETE")) {
            throw SpotkeeperException.of(ErrorCode.CLOUD_ERROR, "deleting stack " + stackName + " failed ("
                    + done.stackStatusAsString() + "): " + failures(stackId, since));
        }
        List<String> kept = new ArrayList<>();
        for (StackResource r : resources) {
            String id = r.physicalResourceId();
            if (r.resourceType().equals("AWS::S3::Bucket")) {
                removeBucket(id, deleteData, progress).ifPresent(kept::add);
            } else if (r.resourceType().equals("AWS::DynamoDB::Table")) {
                removeTable(id, deleteData, progress).ifPresent(kept::add);
            }
        }
        return new Destroyed(kept);
    }

    private Optional<String> removeBucket(String bucket, boolean deleteData, Consumer<String> progress) {
        try {
            List<S3Object> objects = s3.listObjectsV2(b -> b.bucket(bucket)).contents();
            if (!objects.isEmpty() && !deleteData) {
                progress.accept("kept bucket " + bucket + " (it holds data; `destroy --delete-data` deletes it)");
                return Optional.of("bucket " + bucket);
            }
            for (String key : allKeys(bucket)) {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            }
            s3.deleteBucket(b -> b.bucket(bucket));
            progress.accept("deleted bucket " + bucket);
        } catch (NoSuchBucketException e) {
            // already gone (the stack deleted it)
        }
        return Optional.empty();
    }

    private List<String> allKeys(String bucket) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var page = s3.listObjectsV2(b -> b.bucket(bucket).continuationToken(t));
            page.contents().forEach(o -> keys.add(o.key()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    private Optional<String> removeTable(String table, boolean deleteData, Consumer<String> progress) {
        try {
            boolean hasItems = !dynamo.scan(b -> b.tableName(table).limit(1)).items().isEmpty();
            if (hasItems && !deleteData) {
                progress.accept("kept table " + table + " (it holds data; `destroy --delete-data` deletes it)");
                return Optional.of("table " + table);
            }
            dynamo.deleteTable(b -> b.tableName(table));
            progress.accept("deleted table " + table);
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
            // already gone
        }
        return Optional.empty();
    }

    /** Uploads every file asset of the manifest; returns the URL of the template's own asset. */
    private String uploadAssets(Path cdkOut, String stackName, Consumer<String> progress) {
        Path manifest = cdkOut.resolve(stackName + ".assets.json");
        Path templateFile = cdkOut.resolve(stackName + ".template.json");
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(templateFile)) {
            throw SpotkeeperException.invalidArgument(cdkOut + " holds no synthesised stack " + stackName + " ("
                    + manifest.getFileName() + " and " + templateFile.getFileName() + ")");
        }
        Map<String, Object> files;
        try {
            Object f = Json.parseObject(Files.readString(manifest)).get("files");
            files = f instanceof Map<?, ?> m ? cast(m) : Map.of();
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "cannot read " + manifest + ": " + e.getMessage(), e);
        }
        String templateUrl = null;
        Set<String> buckets = new HashSet<>();
        for (Object entry : files.values()) {
            Map<String, Object> asset = cast((Map<?, ?>) entry);
            Path source = cdkOut.resolve(String.valueOf(cast((Map<?, ?>) asset.get("source")).get("path")));
            for (Object d : cast((Map<?, ?>) asset.get("destinations")).values()) {
                Map<String, Object> dest = cast((Map<?, ?>) d);
                String bucket = substitute(String.valueOf(dest.get("bucketName")));
                String key = substitute(String.valueOf(dest.get("objectKey")));
                if (buckets.add(bucket)) {
                    ensureBucket(bucket);
                }
                if (!exists(bucket, key)) {
                    progress.accept("uploading " + source.getFileName() + " to s3://" + bucket + "/" + key);
                    upload(source, bucket, key);
                }
                if (source.equals(templateFile)) {
                    templateUrl = objectUrl(bucket, key);
                }
            }
        }
        if (templateUrl == null) {
            throw SpotkeeperException.invalidArgument(manifest + " lists no asset for the template");
        }
        return templateUrl;
    }

    private void ensureBucket(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            if (settings.endpointOverride().isEmpty()) {
                throw SpotkeeperException.invalidArgument("the CDK's assets bucket " + bucket + " does not exist in"
                        + " this account and region: bootstrap it once with `cdk bootstrap aws://" + account + "/"
                        + region + "`");
            }
            // a local endpoint stands for a bootstrapped environment: its assets bucket is made on first use
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (S3Exception e) {
            return false;
        }
    }

    private String objectUrl(String bucket, String key) {
        return settings.endpointOverride().map(e -> e.toString().replaceAll("/$", "") + "/" + bucket + "/" + key)
                .orElse("https://" + bucket + ".s3." + region + ".amazonaws.com/" + key);
    }

    private String substitute(String s) {
        return s.replace("${AWS::AccountId}", account).replace("${AWS::Region}", region)
                .replace("${AWS::Partition}", "aws");
    }

    private DescribeChangeSetResponse awaitChangeSet(String id) {
        Instant deadline = clock.instant().plus(Duration.ofMinutes(10));
        while (true) {
            DescribeChangeSetResponse cs = cfn.describeChangeSet(b -> b.changeSetName(id));
            String s = cs.statusAsString();
            if (s.equals("CREATE_COMPLETE") || s.equals("FAILED")) {
                return cs;
            }
            pause(deadline, "the change set " + id);
        }
    }

    /** Reports the stack's new events, oldest first, until its status settles. */
    private Stack follow(String stackId, Instant since, Consumer<String> progress) {
        Instant deadline = clock.instant().plus(DEADLINE);
        Set<String> seen = new HashSet<>();
        while (true) {
            Stack s = cfn.describeStacks(b -> b.stackName(stackId)).stacks().get(0);
            List<StackEvent> events = new ArrayList<>(cfn.describeStackEvents(b -> b.stackName(stackId)).stackEvents());
            java.util.Collections.reverse(events);
            for (StackEvent e : events) {
                if (!e.timestamp().isBefore(since) && seen.add(e.eventId())) {
                    progress.accept(line(e));
                }
            }
            if (!s.stackStatusAsString().endsWith("_IN_PROGRESS")) {
                return s;
            }
            pause(deadline, "stack " + s.stackName());
        }
    }

    private static String line(StackEvent e) {
        return String.format("%s  %-28s %-34s %s%s", TIME.format(e.timestamp()), e.resourceStatusAsString(),
                e.resourceType(), e.logicalResourceId(),
                e.resourceStatusReason() == null ? "" : "  " + e.resourceStatusReason());
    }

    private String failures(String stackId, Instant since) {
        List<String> reasons = new ArrayList<>();
        for (StackEvent e : cfn.describeStackEvents(b -> b.stackName(stackId)).stackEvents()) {
            if (!e.timestamp().isBefore(since) && e.resourceStatusAsString().endsWith("_FAILED")
                    && !e.resourceType().equals("AWS::CloudFormation::Stack")) {
                reasons.add(0, e.logicalResourceId() + ": " + e.resourceStatusReason());
            }
        }
        return reasons.isEmpty() ? "no resource reported a reason" : String.join("; ", reasons);
    }

    /**
     * The outputs of {@code stackName} where it stands deployed ({@code CREATE_COMPLETE}, {@code UPDATE_COMPLETE} or
     * {@code UPDATE_ROLLBACK_COMPLETE}); empty when there is no such stack or it is not usable (being made, rolled
     * back, deleted). What {@code run} and the other commands read to find the serverless plane.
     *
     * @throws SpotkeeperException {@code CLOUD_ERROR} when CloudFormation cannot be asked (no permission, no network)
     */
    public static Optional<Map<String, String>> outputsOf(AwsSettings settings, String region, String stackName) {
        try (SdkHttpClient client = SdkClients.urlConnectionHttp(Duration.ofSeconds(10));
             CloudFormationClient cfn = SdkClients.configure(CloudFormationClient.builder(), settings.client(region))
                     .httpClient(client).build()) {
            Optional<Stack> s;
            try {
                s = cfn.describeStacks(b -> b.stackName(stackName)).stacks().stream().findFirst();
            } catch (CloudFormationException e) {
                if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                    return Optional.empty();
                }
                throw refused("CloudFormation could not describe stack " + stackName, e);
            }
            return s.filter(x -> List.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE")
                    .contains(x.stackStatusAsString())).map(StackDeployment::outputs);
        }
    }

    private Optional<Stack> stack(String name) {
        try {
            return cfn.describeStacks(b -> b.stackName(name)).stacks().stream().findFirst();
        } catch (CloudFormationException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                return Optional.empty();
            }
            throw refused("CloudFormation could not describe stack " + name, e);
        }
    }

    private static Map<String, String> outputs(Stack s) {
        Map<String, String> out = new LinkedHashMap<>();
        s.outputs().forEach(o -> out.put(o.outputKey(), o.outputValue()));
        return out;
    }

    private void pause(Instant deadline, String what) {
        if (clock.instant().isAfter(deadline)) {
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, what + " did not settle in time");
        }
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "interrupted while waiting for " + what, e);
        }
    }

    private static SpotkeeperException refused(String what, CloudFormationException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        ErrorCode ours = code.equals("ValidationError") || code.equals("InsufficientCapabilitiesException")
                ? ErrorCode.INVALID_ARGUMENT : ErrorCode.CLOUD_ERROR;
        return SpotkeeperException.of(ours, what + ": " + message + " (" + code + ")");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @Override
    public void close() {
        cfn.close();
        s3.close();
        dynamo.close();
        http.close();
    }
}
