package dev.spotkeeper.deploy;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.InstanceInitiatedShutdownBehavior;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.InstanceProfile;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The serverless control plane: the state table, the event queue fed by EventBridge rules, the two functions running
 * the controller (one per batch of events, one a minute for the reconcile passes), the checkpoint bucket and the
 * artifacts bucket (workloads' sources and results), the agent jar instances download, the agent's launch template
 * and instance profile, and a notification topic. Stateful resources (table,
 * buckets) are retained when the stack is deleted: a user's data goes only when they say so.
 */
public final class PlaneStack extends Stack {
    /** The handler classes in module lambda's function jar. */
    public static final String EVENTS_HANDLER = "dev.spotkeeper.lambda.QueueHandler::handleRequest";
    public static final String RECONCILE_HANDLER = "dev.spotkeeper.lambda.ScheduleHandler::handleRequest";
    /** How long one function run may take; the queue hides a message six times as long, as Lambda advises. */
    static final int FUNCTION_TIMEOUT_SECONDS = 60;
    static final int MAX_RECEIVES = 5;
    /** The agent's launch template: IMDSv2 required, its instance profile. */
    static final String AGENT_LAUNCH_TEMPLATE = "spotkeeper-agent";

    private final Table table;
    private final Queue queue;

    /**
     * @param functionCode the function jar (module lambda's {@code -function.jar}), uploaded as an asset
     * @param agentJar the agent's jar (module agent-app's), uploaded as an asset that instances download
     */
    public PlaneStack(Construct scope, String id, StackProps props, Path functionCode, Path agentJar) {
        this(scope, id, props, functionCode, agentJar, Map.of());
    }

    /**
     * @param functionEnvironment variables added to the functions' environment, over the stack's own (a deployment
     *     onto the emulator names its market and how its instances start the agent); with
     *     {@code SPOTKEEPER_AGENT_COMMAND}, the functions get no {@code SPOTKEEPER_AGENT_JAR_URL}
     */
    public PlaneStack(Construct scope, String id, StackProps props, Path functionCode, Path agentJar,
                      Map<String, String> functionEnvironment) {
        super(scope, id, props);
        requireNonNull(functionEnvironment, "functionEnvironment is null");
        requireNonNull(functionCode, "functionCode is null");
        requireNonNull(agentJar, "agentJar is null");
        this.table = stateTable();
        Queue deadLetters = Queue.Builder.create(this, "EventDeadLetters").encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true).retentionPeriod(Duration.days(14)).build();
        this.queue = Queue.Builder.create(this, "EventQueue").encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .visibilityTimeout(Duration.seconds(FUNCTION_TIMEOUT_SECONDS * 6))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVES).build())
                .build();
        for (EventRules.Rule r : EventRules.ALL) {
            // The target adds the queue policy: events.amazonaws.com may send, for this rule's ARN only.
            Rule.Builder.create(this, r.id()).description(r.description()).eventPattern(r.pattern())
                    .targets(List.of(SqsQueue.Builder.create(queue).build())).build();
        }
        Bucket checkpoints = privateBucket("CheckpointBucket", true);
        Bucket artifacts = privateBucket("ArtifactsBucket", false);
        Topic notifications = Topic.Builder.create(this, "Notifications").displayName("spotkeeper")
                .masterKey(Alias.fromAliasName(this, "SnsManagedKey", "alias/aws/sns")).enforceSsl(true).build();

        Role agentRole = Role.Builder.create(this, "AgentRole").assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("spotkeeper's agent on its instances").build();
        Asset agent = Asset.Builder.create(this, "AgentJar").path(agentJar.toString()).build();
        Permissions.agent(checkpoints, artifacts, queue.getQueueArn(), agent).forEach(agentRole::addToPolicy);
        InstanceProfile profile = InstanceProfile.Builder.create(this, "AgentInstanceProfile").role(agentRole).build();
        LaunchTemplate template = agentLaunchTemplate(profile);

        Role controllerRole = Role.Builder.create(this, "ControllerRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("spotkeeper's controller functions").build();
        table.grant(controllerRole, Permissions.TABLE_ACTIONS.toArray(String[]::new));
        Permissions.controllerEc2(agentRole).forEach(controllerRole::addToPolicy);
        Permissions.controllerFleets().forEach(controllerRole::addToPolicy);
        Permissions.controllerObjects(checkpoints, notifications).forEach(controllerRole::addToPolicy);

        Map<String, String> environment = new java.util.TreeMap<>(Map.of(
                "SPOTKEEPER_QUEUE_URL", queue.getQueueUrl(),
                "SPOTKEEPER_TABLE", table.getTableName(),
                "SPOTKEEPER_CREATE_MISSING", "false",
                "SPOTKEEPER_ACCOUNT", Aws.ACCOUNT_ID,
                "SPOTKEEPER_AGENT_JAR_URL", agent.getS3ObjectUrl(),
                "SPOTKEEPER_INSTANCE_PROFILE", profile.getInstanceProfileArn(),
                // Every launch goes through the stack's template (IMDSv2 required), not one per workload.
                "SPOTKEEPER_LAUNCH_TEMPLATE", AGENT_LAUNCH_TEMPLATE));
        if (functionEnvironment.containsKey("SPOTKEEPER_AGENT_COMMAND")) {
            environment.remove("SPOTKEEPER_AGENT_JAR_URL");
        }
        environment.putAll(functionEnvironment);
        Code code = Code.fromAsset(functionCode.toString());
        Function events = function("EventsFunction", EVENTS_HANDLER, code, controllerRole, environment,
                "handles each batch of the event queue");
        Function reconcile = function("ReconcileFunction", RECONCILE_HANDLER, code, controllerRole, environment,
                "runs the reconcile passes every minute");
        // The environment names the template: it exists before either function runs.
        events.getNode().addDependency(template);
        reconcile.getNode().addDependency(template);
        // A tick not run within its minute is dropped, never retried: the next one does the same pass.
        reconcile.getCurrentVersion().configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .maxEventAge(Duration.minutes(1)).retryAttempts(0).build());
        // SnapStart restores published versions only: the queue and the schedule invoke the current version.
        events.getCurrentVersion().addEventSource(SqsEventSource.Builder.create(queue).batchSize(10)
                .maxBatchingWindow(Duration.seconds(1)).reportBatchItemFailures(true).build());
        Rule.Builder.create(this, "ReconcileSchedule").description("the controller's reconcile passes")
                .schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(LambdaFunction.Builder.create(reconcile.getCurrentVersion()).retryAttempts(0).build()))
                .build();

        output("StateTableName", table.getTableName());
        output("EventQueueUrl", queue.getQueueUrl());
        output("CheckpointBucketName", checkpoints.getBucketName());
        output("ArtifactsBucketName", artifacts.getBucketName());
        output("NotificationTopicArn", notifications.getTopicArn());
        output("AgentLaunchTemplateName", AGENT_LAUNCH_TEMPLATE);
    }

    public Table table() {
        return table;
    }

    public Queue queue() {
        return queue;
    }

    /** The table {@code DynamoDbStateStore} uses: keys pk/sk (strings), TTL on expiresAt, on demand, PITR. */
    private Table stateTable() {
        return Table.Builder.create(this, "StateTable")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .timeToLiveAttribute("expiresAt")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /**
     * Private (public access blocked, owner-enforced), encrypted, TLS only, versioned; with {@code checkpoints}, old
     * checkpoint objects (the versions a newer manifest or chunk replaced) expire after 30 days.
     */
    private Bucket privateBucket(String id, boolean checkpoints) {
        LifecycleRule.Builder rule = LifecycleRule.builder().id("abort-incomplete-uploads")
                .abortIncompleteMultipartUploadAfter(Duration.days(7));
        if (checkpoints) {
            rule.id("old-checkpoints").noncurrentVersionExpiration(Duration.days(30))
                    .noncurrentVersionsToRetain(1);
        }
        return Bucket.Builder.create(this, id)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(true)
                .lifecycleRules(List.of(rule.build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /** IMDSv2 only (a hop limit of 2 for containers), instance tags in metadata for the agent, encrypted root volume. */
    private LaunchTemplate agentLaunchTemplate(InstanceProfile profile) {
        return LaunchTemplate.Builder.create(this, "AgentLaunchTemplate")
                .launchTemplateName(AGENT_LAUNCH_TEMPLATE)
                .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
                .httpEndpoint(true)
                .httpPutResponseHopLimit(2)
                .instanceMetadataTags(true)
                .instanceProfile(profile)
                .instanceInitiatedShutdownBehavior(InstanceInitiatedShutdownBehavior.TERMINATE)
                .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda").volume(BlockDeviceVolume.ebs(30,
                        EbsDeviceOptions.builder().encrypted(true).volumeType(EbsDeviceVolumeType.GP3)
                                .deleteOnTermination(true).build())).build()))
                .build();
    }

    private Function function(String id, String handler, Code code, Role role, Map<String, String> environment,
                              String what) {
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        logs.grantWrite(role);
        return Function.Builder.create(this, id)
                .description("spotkeeper controller: " + what)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handler)
                .code(code)
                .memorySize(1024)
                .timeout(Duration.seconds(FUNCTION_TIMEOUT_SECONDS))
                .role(role)
                .logGroup(logs)
                .environment(environment)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }
}
