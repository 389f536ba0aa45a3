package dev.spotkeeper.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/** The synthesised template of the serverless plane, read through the CDK assertions library. */
class PlaneStackTest {
    @TempDir
    static Path dir;

    private static Template template;
    private static Map<String, Object> resources;
    private static String text;

    @BeforeAll
    static void synth() throws Exception {
        Path code = Files.write(dir.resolve("function.jar"), "function code".getBytes());
        Path agent = Files.write(dir.resolve("agent.jar"), "agent code".getBytes());
        App app = new App();
        PlaneStack stack = new PlaneStack(app, "spotkeeper", StackProps.builder().build(), code, agent);
        template = Template.fromStack(stack);
        Map<String, Object> json = template.toJSON();
        text = Json.write(json);
        resources = map(json.get("Resources"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of(o);
    }

    private static List<Map<String, Object>> ofType(String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : resources.values()) {
            if (type.equals(map(r).get("Type"))) {
                out.add(map(map(r).get("Properties")));
            }
        }
        return out;
    }

    @Test
    void theStack_holdsEveryResourceOfThePlane() {
        Map<String, Integer> expected = Map.ofEntries(
                Map.entry("AWS::DynamoDB::Table", 1), Map.entry("AWS::SQS::Queue", 2),
                Map.entry("AWS::SQS::QueuePolicy", 2), Map.entry("AWS::Events::Rule", 6),
                Map.entry("AWS::Lambda::Function", 2), Map.entry("AWS::Lambda::Version", 2),
                Map.entry("AWS::Lambda::EventSourceMapping", 1),
                Map.entry("AWS::Lambda::EventInvokeConfig", 1), Map.entry("AWS::Lambda::Permission", 1),
                Map.entry("AWS::Logs::LogGroup", 2), Map.entry("AWS::S3::Bucket", 2),
                Map.entry("AWS::S3::BucketPolicy", 2), Map.entry("AWS::SNS::Topic", 1),
                Map.entry("AWS::EC2::LaunchTemplate", 1), Map.entry("AWS::IAM::InstanceProfile", 1),
                Map.entry("AWS::IAM::Role", 2));
        expected.forEach((type, n) -> template.resourceCountIs(type, n));
    }

    @Test
    void theStateTable_hasTheStoresKeys_onDemand_withPointInTimeRecovery_encryptionAndTtl() {
        Map<String, Object> table = ofType("AWS::DynamoDB::Table").get(0);
        assertThat(table.get("KeySchema")).isEqualTo(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                Map.of("AttributeName", "sk", "KeyType", "RANGE")));
        assertThat(table.get("AttributeDefinitions")).isEqualTo(List.of(
                Map.of("AttributeName", "pk", "AttributeType", "S"), Map.of("AttributeName", "sk", "AttributeType", "S")));
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(map(table.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled")).isEqualTo(true);
        assertThat(map(table.get("SSESpecification")).get("SSEEnabled")).isEqualTo(true);
        assertThat(table.get("TimeToLiveSpecification")).isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
        template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void bothQueuesAreEncrypted_andTheEventQueueSendsWhatFailsFiveTimesToItsDeadLetters() {
        List<Map<String, Object>> queues = ofType("AWS::SQS::Queue");
        assertThat(queues).allSatisfy(q -> assertThat(q.get("SqsManagedSseEnabled")).isEqualTo(true));
        Map<String, Object> events = queues.stream().filter(q -> q.containsKey("RedrivePolicy")).findFirst().orElseThrow();
        assertThat(map(events.get("RedrivePolicy")).get("maxReceiveCount")).isEqualTo(5);
        assertThat(events.get("VisibilityTimeout")).isEqualTo(360);
        assertThat(text).contains("\"aws:SecureTransport\":\"false\"");
    }

    @Test
    void theRules_matchExactlyAwsEventPatterns_andAllSendToTheQueue() {
        List<Object> patterns = new ArrayList<>();
        for (Map<String, Object> rule : ofType("AWS::Events::Rule")) {
            if (rule.containsKey("EventPattern")) {
                patterns.add(rule.get("EventPattern"));
                Map<String, Object> target = map(list(rule.get("Targets")).get(0));
                assertThat(Json.write(target.get("Arn"))).contains("EventQueue");
            }
        }
        assertThat(patterns).containsExactlyInAnyOrder(
                Map.of("source", List.of("aws.ec2"), "detail-type", List.of("EC2 Spot Instance Interruption Warning")),
                Map.of("source", List.of("aws.ec2"), "detail-type", List.of("EC2 Instance Rebalance Recommendation")),
                Map.of("source", List.of("aws.ec2"), "detail-type", List.of("EC2 Instance State-change Notification")),
                Map.of("source", List.of("aws.health"), "detail-type", List.of("AWS Health Event"),
                        "detail", Map.of("service", List.of("EC2"), "eventTypeCategory", List.of("scheduledChange"))),
                Map.of("source", List.of("aws.autoscaling"),
                        "detail-type", List.of("EC2 Instance-terminate Lifecycle Action")));
        // The queue policy lets EventBridge send, and only for these rules.
        List<Object> statements = new ArrayList<>();
        ofType("AWS::SQS::QueuePolicy").forEach(p -> statements.addAll(list(map(p.get("PolicyDocument")).get("Statement"))));
        List<Object> sends = statements.stream().filter(s -> "Allow".equals(map(s).get("Effect"))
                && list(map(s).get("Action")).contains("sqs:SendMessage")).toList();
        assertThat(sends).hasSize(5).allSatisfy(s -> {
            assertThat(map(s).get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
            assertThat(Json.write(map(s).get("Condition"))).contains("aws:SourceArn");
        });
    }

    @Test
    void theFunctions_areJavaOnArm_withSnapStart_oneOnTheQueueReportingItemFailures_oneEveryMinute() {
        List<Map<String, Object>> functions = ofType("AWS::Lambda::Function");
        assertThat(functions).allSatisfy(f -> {
            assertThat(f.get("Runtime")).isEqualTo("java21");
            assertThat(f.get("Architectures")).isEqualTo(List.of("arm64"));
            assertThat(f.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            Map<String, Object> env = map(map(f.get("Environment")).get("Variables"));
            assertThat(env).containsEntry("SPOTKEEPER_CREATE_MISSING", "false")
                    .containsKeys("SPOTKEEPER_QUEUE_URL", "SPOTKEEPER_TABLE", "SPOTKEEPER_ACCOUNT", "SPOTKEEPER_AGENT_JAR_URL",
                            "SPOTKEEPER_INSTANCE_PROFILE")
                    .containsEntry("SPOTKEEPER_LAUNCH_TEMPLATE", "spotkeeper-agent");
            // Instances download the agent jar from the stack's asset of it.
            assertThat(Json.write(env.get("SPOTKEEPER_AGENT_JAR_URL"))).startsWith("{\"Fn::Sub\":\"s3://")
                    .endsWith(".jar\"}");
        });
        assertThat(functions).extracting(f -> f.get("Handler")).containsExactlyInAnyOrder(
                "dev.spotkeeper.lambda.QueueHandler::handleRequest", "dev.spotkeeper.lambda.ScheduleHandler::handleRequest");

        Map<String, Object> mapping = ofType("AWS::Lambda::EventSourceMapping").get(0);
        assertThat(mapping.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(mapping.get("BatchSize")).isEqualTo(10);
        assertThat(Json.write(mapping.get("FunctionName"))).contains("EventsFunctionCurrentVersion");
        assertThat(Json.write(mapping.get("EventSourceArn"))).contains("EventQueue");

        Map<String, Object> schedule = ofType("AWS::Events::Rule").stream()
                .filter(r -> r.containsKey("ScheduleExpression")).findFirst().orElseThrow();
        assertThat(schedule.get("ScheduleExpression")).isEqualTo("rate(1 minute)");
        assertThat(Json.write(schedule.get("Targets"))).contains("ReconcileFunctionCurrentVersion");
        Map<String, Object> async = ofType("AWS::Lambda::EventInvokeConfig").get(0);
        assertThat(async.get("MaximumEventAgeInSeconds")).isEqualTo(60);
        assertThat(async.get("MaximumRetryAttempts")).isEqualTo(0);
    }

    @Test
    void theBuckets_arePrivate_encrypted_versioned_tlsOnly_andOldCheckpointsExpire() {
        List<Map<String, Object>> buckets = ofType("AWS::S3::Bucket");
        assertThat(buckets).allSatisfy(b -> {
            assertThat(b.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of("BlockPublicAcls", true,
                    "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
            assertThat(Json.write(b.get("BucketEncryption"))).contains("\"SSEAlgorithm\":\"AES256\"");
            assertThat(b.get("VersioningConfiguration")).isEqualTo(Map.of("Status", "Enabled"));
        });
        assertThat(buckets).anySatisfy(b -> assertThat(Json.write(b.get("LifecycleConfiguration")))
                .contains("\"NoncurrentVersionExpiration\":{\"NewerNoncurrentVersions\":1,\"NoncurrentDays\":30}")
                .contains("\"AbortIncompleteMultipartUpload\":{\"DaysAfterInitiation\":7}"));
        assertThat(ofType("AWS::S3::BucketPolicy")).allSatisfy(p -> assertThat(Json.write(p))
                .contains("\"Effect\":\"Deny\"").contains("\"aws:SecureTransport\":\"false\""));
        assertThat(Json.write(ofType("AWS::SNS::Topic").get(0).get("KmsMasterKeyId"))).contains("alias/aws/sns");
    }

    @Test
    void theAgent_mayReadItsJar_itsCheckpointsAndArtifacts_andSendReports_only() {
        Map<String, Object> agentPolicy = ofType("AWS::IAM::Policy").stream()
                .filter(p -> Json.write(p.get("Roles")).contains("AgentRole")).findFirst().orElseThrow();
        List<Object> statements = list(map(agentPolicy.get("PolicyDocument")).get("Statement"));
        assertThat(statements).extracting(s -> list(map(s).get("Action"))).containsExactlyInAnyOrder(
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), List.of("s3:ListBucket"),
                List.of("s3:GetObject", "s3:PutObject"), List.of("s3:GetObject"), List.of("sqs:SendMessage"),
                List.of("secretsmanager:CreateSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"));
        Object jar = statements.stream().filter(s -> list(map(s).get("Action")).equals(List.of("s3:GetObject")))
                .findFirst().map(s -> map(s).get("Resource")).orElseThrow();
        assertThat(Json.write(jar)).as("the one object of the assets bucket").contains("cdk-").endsWith(".jar\"]]}");
    }

    @Test
    void theLaunchTemplate_requiresImdsV2_encryptsItsVolume_andGivesTheAgentItsProfile() {
        Map<String, Object> data = map(ofType("AWS::EC2::LaunchTemplate").get(0).get("LaunchTemplateData"));
        Map<String, Object> metadata = map(data.get("MetadataOptions"));
        assertThat(metadata.get("HttpTokens")).isEqualTo("required");
        assertThat(metadata.get("InstanceMetadataTags")).isEqualTo("enabled");
        assertThat(Json.write(data.get("BlockDeviceMappings"))).contains("\"Encrypted\":true");
        assertThat(Json.write(data.get("IamInstanceProfile"))).contains("AgentInstanceProfile");
    }

    @Test
    void noPolicyAllowsAWildcardAction_andOnlyUnscopedEc2ReadsUseEveryResource() {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object r : resources.values()) {
            String type = (String) map(r).get("Type");
            Map<String, Object> props = map(map(r).get("Properties"));
            Object doc = type.equals("AWS::IAM::Role") ? props.get("AssumeRolePolicyDocument")
                    : props == null ? null : props.get("PolicyDocument");
            if (doc != null) {
                list(map(doc).get("Statement")).forEach(s -> statements.add(map(s)));
            }
        }
        assertThat(statements).hasSizeGreaterThan(10);
        for (Map<String, Object> s : statements) {
            List<Object> actions = list(s.get("Action"));
            if ("Deny".equals(s.get("Effect"))) {
                // The only denials: every call without TLS (enforceSSL on queues, buckets and the topic).
                assertThat(s.get("Condition")).as("statement %s", s)
                        .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
                continue;
            }
            assertThat(actions).as("statement %s", s).allSatisfy(a -> assertThat((String) a).doesNotContain("*"));
            if (list(s.getOrDefault("Resource", List.of())).contains("*")) {
                assertThat(actions).as("statement %s", s).allSatisfy(a -> assertThat(Permissions.UNSCOPED_READS)
                        .contains((String) a));
            }
        }
        // Launching, tagging and terminating are limited to what is tagged spotkeeper:managed=true.
        String controller = Json.write(ofType("AWS::IAM::Policy"));
        assertThat(controller).contains("\"aws:RequestTag/spotkeeper:managed\":\"true\"")
                .contains("\"aws:ResourceTag/spotkeeper:managed\":\"true\"")
                .contains("\"iam:PassedToService\":\"ec2.amazonaws.com\"");
        assertThat(ofType("AWS::IAM::Role")).allSatisfy(r -> assertThat(r).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void theTemplate_holdsNoSecret() {
        assertThat(Pattern.compile("AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}").matcher(text).find()).isFalse();
        // The agent's permission on the secret store names its actions and the secrets' ARNs, never a value.
        String withoutSecretStoreGrants = text.replaceAll("secretsmanager:[A-Za-z]*", "")
                .replace(":secret:spotkeeper/*", "");
        assertThat(withoutSecretStoreGrants.toLowerCase(java.util.Locale.ROOT)).doesNotContain("secret")
                .doesNotContain("password")
                .doesNotContain("aws_access_key_id").doesNotContain("aws_session_token");
        // Every parameter is the CDK's own asset and bootstrap parameter: nothing asks for a credential.
        assertThat(text).doesNotContain("NoEcho");
    }

    private static List<Map<String, Object>> controllerStatements() {
        Map<String, Object> policy = ofType("AWS::IAM::Policy").stream()
                .filter(p -> Json.write(p.get("Roles")).contains("ControllerRole")).findFirst().orElseThrow();
        List<Map<String, Object>> out = new ArrayList<>();
        list(map(policy.get("PolicyDocument")).get("Statement")).forEach(s -> out.add(map(s)));
        return out;
    }

    private static List<Map<String, Object>> allowing(List<Map<String, Object>> statements, String action) {
        return statements.stream().filter(s -> "Allow".equals(s.get("Effect")) && list(s.get("Action")).contains(action))
                .toList();
    }

    /**
     * The IAM actions of the SDK calls a production class of module {@code aws} makes on the given clients: read
     * from its source, so that a call added there without its permission here fails this test.
     */
    private static java.util.Set<String> callsIn(String sourceFile, Map<String, String> clientToService)
            throws Exception {
        String source = Files.readString(Path.of("..", "aws", "src", "main", "java", "dev", "spotkeeper", "aws")
                .resolve(sourceFile));
        java.util.Set<String> actions = new java.util.TreeSet<>();
        clientToService.forEach((client, service) -> {
            java.util.regex.Matcher m = Pattern.compile(Pattern.quote(client) + "\\s*\\.\\s*([a-z][A-Za-z]+)\\(")
                    .matcher(source);
            while (m.find()) {
                if (!m.group(1).equals("close")) {
                    actions.add(service + ":" + Character.toUpperCase(m.group(1).charAt(0)) + m.group(1).substring(1));
                }
            }
        });
        return actions;
    }

    @Test
    void theController_mayAllocateTagAssociateAndRelease_onlyElasticIpsTaggedManaged() throws Exception {
        List<Map<String, Object>> statements = controllerStatements();
        java.util.Set<String> calls = callsIn("internal/Ec2Addresses.java", Map.of("ec2", "ec2"));
        assertThat(calls).containsExactlyInAnyOrder("ec2:AllocateAddress", "ec2:AssociateAddress",
                "ec2:DisassociateAddress", "ec2:ReleaseAddress", "ec2:DescribeAddresses");
        for (String action : calls) {
            assertThat(allowing(statements, action)).as(action).isNotEmpty();
        }
        Map<String, Object> allocate = allowing(statements, "ec2:AllocateAddress").get(0);
        assertThat(Json.write(allocate.get("Resource"))).contains(":elastic-ip/*");
        assertThat(allocate.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:RequestTag/spotkeeper:managed", "true")));
        for (String action : List.of("ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:ReleaseAddress")) {
            assertThat(allowing(statements, action)).as(action).allSatisfy(s -> {
                assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                        Map.of("aws:ResourceTag/spotkeeper:managed", "true")));
                assertThat(Json.write(s.get("Resource"))).contains(":elastic-ip/*").doesNotContain("\"*\"");
            });
        }
        assertThat(allowing(statements, "ec2:CreateTags")).anySatisfy(s -> {
            assertThat(Json.write(s.get("Resource"))).contains(":elastic-ip/*");
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("ec2:CreateAction", "AllocateAddress")));
        });
        assertThat(allowing(statements, "ec2:DescribeAddresses")).allSatisfy(s ->
                assertThat(list(s.get("Resource"))).containsExactly("*"));
    }

    @Test
    void theController_mayCreateTagAuthorizeAndDelete_onlySecurityGroupsTaggedManaged() throws Exception {
        List<Map<String, Object>> statements = controllerStatements();
        java.util.Set<String> calls = callsIn("internal/Ec2SecurityGroups.java", Map.of("ec2", "ec2"));
        assertThat(calls).containsExactlyInAnyOrder("ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress",
                "ec2:DescribeSecurityGroups", "ec2:DeleteSecurityGroup");
        for (String action : calls) {
            assertThat(allowing(statements, action)).as(action).isNotEmpty();
        }
        assertThat(allowing(statements, "ec2:CreateSecurityGroup")).anySatisfy(s -> {
            assertThat(Json.write(s.get("Resource"))).contains(":security-group/*");
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("aws:RequestTag/spotkeeper:managed", "true")));
        });
        assertThat(allowing(statements, "ec2:CreateSecurityGroup")).allSatisfy(s -> assertThat(
                Json.write(s.get("Resource"))).doesNotContain("\"*\""));
        for (String action : List.of("ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup")) {
            assertThat(allowing(statements, action)).as(action).allSatisfy(s -> {
                assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                        Map.of("aws:ResourceTag/spotkeeper:managed", "true")));
                assertThat(Json.write(s.get("Resource"))).contains(":security-group/*").doesNotContain("\"*\"");
            });
        }
        assertThat(allowing(statements, "ec2:CreateTags")).anySatisfy(s -> {
            assertThat(Json.write(s.get("Resource"))).contains(":security-group/*");
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("ec2:CreateAction", "CreateSecurityGroup")));
        });
    }

    @Test
    void theController_mayMakeEveryCallOfTheFleet_itsGroupOnlyTaggedManaged() throws Exception {
        List<Map<String, Object>> statements = controllerStatements();
        java.util.Set<String> calls = callsIn("AwsFleet.java", Map.of("autoscaling()", "autoscaling",
                "elb()", "elasticloadbalancing", "ec2()", "ec2"));
        assertThat(calls).contains("autoscaling:CreateAutoScalingGroup", "autoscaling:DescribeAutoScalingGroups",
                "elasticloadbalancing:CreateLoadBalancer", "ec2:DescribeSubnets").hasSizeGreaterThan(20);
        for (String action : calls) {
            assertThat(allowing(statements, action)).as(action).isNotEmpty();
        }
        assertThat(allowing(statements, "autoscaling:CreateAutoScalingGroup")).singleElement().satisfies(s -> {
            assertThat(list(s.get("Action"))).contains("autoscaling:CreateOrUpdateTags");
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("aws:RequestTag/spotkeeper:managed", "true")));
        });
        for (String action : List.of("autoscaling:UpdateAutoScalingGroup", "autoscaling:DetachInstances",
                "autoscaling:SetDesiredCapacity", "autoscaling:CompleteLifecycleAction",
                "autoscaling:DeleteAutoScalingGroup", "ec2:DeleteLaunchTemplate")) {
            assertThat(allowing(statements, action)).as(action).singleElement().satisfies(s ->
                    assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                            Map.of("aws:ResourceTag/spotkeeper:managed", "true"))));
        }
        assertThat(allowing(statements, "iam:CreateServiceLinkedRole")).singleElement().satisfies(s ->
                assertThat(Json.write(s.get("Condition"))).contains("autoscaling.amazonaws.com")
                        .contains("elasticloadbalancing.amazonaws.com"));
    }
}
