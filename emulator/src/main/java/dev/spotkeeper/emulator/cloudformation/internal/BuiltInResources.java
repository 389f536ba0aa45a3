package dev.spotkeeper.emulator.cloudformation.internal;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.spi.StackResourceProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource types provisioned onto the emulator's own services, through its edge: DynamoDB tables, SQS queues,
 * S3 buckets, SNS topics and EC2 launch templates. Every other type (IAM, policies, log groups, and EventBridge and
 * Lambda when no other part provides them) is a record with CloudFormation's names and attributes: IAM is recorded,
 * never enforced.
 */
final class BuiltInResources implements StackResourceProvider {
    private static final Set<String> SERVED = Set.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::S3::Bucket",
            "AWS::SNS::Topic", "AWS::EC2::LaunchTemplate");
    private static final Pattern TEMPLATE_ID = Pattern.compile("<launchTemplateId>([^<]+)</launchTemplateId>");
    private static final Pattern TOPIC_ARN = Pattern.compile("<TopicArn>([^<]+)</TopicArn>");

    private final EdgeCalls edge;
    private final Random random;

    BuiltInResources(EdgeCalls edge, long seed) {
        this.edge = edge;
        this.random = new Random(seed);
    }

    @Override
    public boolean provides(String type) {
        return true;
    }

    static boolean served(String type) {
        return SERVED.contains(type);
    }

    @Override
    public Provisioned create(Request r) {
        return switch (r.type()) {
            case "AWS::DynamoDB::Table" -> table(r);
            case "AWS::SQS::Queue" -> queue(r);
            case "AWS::S3::Bucket" -> bucket(r);
            case "AWS::SNS::Topic" -> topic(r);
            case "AWS::EC2::LaunchTemplate" -> launchTemplate(r);
            default -> record(r);
        };
    }

    @Override
    public Provisioned update(Request r, Provisioned current) {
        if (!served(r.type())) {
            Provisioned fresh = record(r);
            return new Provisioned(current.physicalId(), fresh.attributes().isEmpty() ? current.attributes()
                    : withName(r, current.physicalId()).attributes());
        }
        if (r.type().equals("AWS::SQS::Queue")) {
            Map<String, Object> attributes = queueAttributes(r.properties());
            attributes.remove("FifoQueue");
            edge.json("sqs", r.region(), "AmazonSQS.SetQueueAttributes",
                    Map.of("QueueUrl", current.physicalId(), "Attributes", attributes));
            return current;
        }
        // the other served types keep their settings; what changes is recorded with the stack
        return current;
    }

    @Override
    public void delete(Request r, Provisioned current) {
        String id = current.physicalId();
        switch (r.type()) {
            case "AWS::DynamoDB::Table" -> edge.json("dynamodb", r.region(), "DynamoDB_20120810.DeleteTable",
                    Map.of("TableName", id));
            case "AWS::SQS::Queue" -> edge.json("sqs", r.region(), "AmazonSQS.DeleteQueue", Map.of("QueueUrl", id));
            case "AWS::S3::Bucket" -> edge.rest("s3", r.region(), "DELETE", "/" + id, null);
            case "AWS::SNS::Topic" -> edge.query("sns", r.region(), Map.of("Action", "DeleteTopic", "TopicArn", id,
                    "Version", "2010-03-31"));
            case "AWS::EC2::LaunchTemplate" -> edge.query("ec2", r.region(), Map.of("Action", "DeleteLaunchTemplate",
                    "LaunchTemplateId", id, "Version", "2016-11-15"));
            default -> {
                // a record: nothing outside the stack to remove
            }
        }
    }

    private Provisioned table(Request r) {
        Map<String, Object> p = r.properties();
        String name = name(r, "TableName", 255, false);
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("TableName", name);
        for (String key : List.of("AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput",
                "GlobalSecondaryIndexes", "LocalSecondaryIndexes")) {
            if (p.containsKey(key)) {
                create.put(key, p.get(key));
            }
        }
        if (p.get("StreamSpecification") instanceof Map<?, ?> stream && stream.get("StreamViewType") != null) {
            create.put("StreamSpecification", Map.of("StreamEnabled", true, "StreamViewType",
                    stream.get("StreamViewType")));
        }
        edge.json("dynamodb", r.region(), "DynamoDB_20120810.CreateTable", create);
        if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl && Boolean.TRUE.equals(ttl.get("Enabled"))) {
            edge.json("dynamodb", r.region(), "DynamoDB_20120810.UpdateTimeToLive", Map.of("TableName", name,
                    "TimeToLiveSpecification", Map.of("AttributeName", ttl.get("AttributeName"), "Enabled", true)));
        }
        String arn = "arn:aws:dynamodb:" + r.region() + ":" + r.account() + ":table/" + name;
        return new Provisioned(name, Map.of("Arn", arn, "StreamArn", arn + "/stream/1970-01-01T00:00:00.000"));
    }

    private Provisioned queue(Request r) {
        boolean fifo = Boolean.TRUE.equals(r.properties().get("FifoQueue"))
                || "true".equals(String.valueOf(r.properties().get("FifoQueue")));
        String name = name(r, "QueueName", 80, false);
        if (fifo && !name.endsWith(".fifo")) {
            name = name.substring(0, Math.min(name.length(), 75)) + ".fifo";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("QueueName", name);
        body.put("Attributes", queueAttributes(r.properties()));
        Object url = edge.json("sqs", r.region(), "AmazonSQS.CreateQueue", body).get("QueueUrl");
        if (!(url instanceof String u)) {
            throw new IllegalStateException("SQS returned no queue URL for " + name);
        }
        return new Provisioned(u, Map.of("Arn", "arn:aws:sqs:" + r.region() + ":" + r.account() + ":" + name,
                "QueueName", name, "QueueUrl", u));
    }

    private static Map<String, Object> queueAttributes(Map<String, Object> p) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String key : List.of("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds",
                "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "FifoQueue", "ContentBasedDeduplication")) {
            if (p.containsKey(key)) {
                attributes.put(key, String.valueOf(p.get(key)));
            }
        }
        Object redrive = p.get("RedrivePolicy");
        if (redrive != null) {
            attributes.put("RedrivePolicy", redrive instanceof String s ? s : Json.write(redrive));
        }
        return attributes;
    }

    private Provisioned bucket(Request r) {
        String name = name(r, "BucketName", 63, true);
        edge.rest("s3", r.region(), "PUT", "/" + name, null);
        return new Provisioned(name, Map.of("Arn", "arn:aws:s3:::" + name, "DomainName", name + ".s3.amazonaws.com",
                "RegionalDomainName", name + ".s3." + r.region() + ".amazonaws.com",
                "DualStackDomainName", name + ".s3.dualstack." + r.region() + ".amazonaws.com",
                "WebsiteURL", "http://" + name + ".s3-website-" + r.region() + ".amazonaws.com"));
    }

    private Provisioned topic(Request r) {
        String name = name(r, "TopicName", 256, false);
        String xml = edge.query("sns", r.region(), Map.of("Action", "CreateTopic", "Name", name,
                "Version", "2010-03-31"));
        Matcher m = TOPIC_ARN.matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("SNS returned no topic ARN for " + name);
        }
        return new Provisioned(m.group(1), Map.of("TopicArn", m.group(1), "TopicName", name));
    }

    private Provisioned launchTemplate(Request r) {
        String name = name(r, "LaunchTemplateName", 128, false);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", "CreateLaunchTemplate");
        params.put("Version", "2016-11-15");
        params.put("LaunchTemplateName", name);
        Object data = r.properties().get("LaunchTemplateData");
        if (data == null) {
            throw new IllegalStateException("Property LaunchTemplateData cannot be empty.");
        }
        Ec2Flattening.flatten("LaunchTemplateData", data, params);
        String xml = edge.query("ec2", r.region(), params);
        Matcher m = TEMPLATE_ID.matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("EC2 returned no launch template id for " + name);
        }
        return new Provisioned(m.group(1), Map.of("LaunchTemplateId", m.group(1), "LatestVersionNumber", "1",
                "DefaultVersionNumber", "1"));
    }

    private Provisioned record(Request r) {
        return switch (r.type()) {
            case "AWS::IAM::Role" -> withName(r, name(r, "RoleName", 64, false));
            case "AWS::IAM::InstanceProfile" -> withName(r, name(r, "InstanceProfileName", 128, false));
            case "AWS::Logs::LogGroup" -> withName(r, name(r, "LogGroupName", 512, false));
            case "AWS::Lambda::Function" -> withName(r, name(r, "FunctionName", 64, false));
            case "AWS::Events::Rule" -> withName(r, name(r, "Name", 64, false));
            case "AWS::Lambda::Version" -> {
                String function = String.valueOf(r.properties().get("FunctionName"));
                String arn = function.startsWith("arn:") ? function
                        : "arn:aws:lambda:" + r.region() + ":" + r.account() + ":function:" + function;
                yield new Provisioned(arn + ":1", Map.of("Version", "1", "FunctionArn", arn + ":1"));
            }
            case "AWS::Lambda::EventSourceMapping" -> {
                String uuid = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
                yield new Provisioned(uuid, Map.of("Id", uuid));
            }
            default -> withName(r, generated(r, 128, false));
        };
    }

    private Provisioned withName(Request r, String name) {
        String prefix = "arn:aws:";
        String regional = r.region() + ":" + r.account() + ":";
        Map<String, String> a = switch (r.type()) {
            case "AWS::IAM::Role" -> Map.of("Arn", prefix + "iam::" + r.account() + ":role/" + name,
                    "RoleId", "AROA" + suffix(17));
            case "AWS::IAM::InstanceProfile" -> Map.of("Arn", prefix + "iam::" + r.account()
                    + ":instance-profile/" + name);
            case "AWS::Logs::LogGroup" -> Map.of("Arn", prefix + "logs:" + regional + "log-group:" + name + ":*");
            case "AWS::Lambda::Function" -> Map.of("Arn", prefix + "lambda:" + regional + "function:" + name);
            case "AWS::Events::Rule" -> Map.of("Arn", prefix + "events:" + regional + "rule/" + name);
            default -> Map.of("Arn", prefix + service(r.type()) + ":" + regional + r.logicalId().toLowerCase(Locale.ROOT)
                    + "/" + name);
        };
        return new Provisioned(name, a);
    }

    private static String service(String type) {
        String[] parts = type.split("::");
        return parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "cloudformation";
    }

    /** The name the template gives, or one generated as CloudFormation does: stack-LogicalId-SUFFIX. */
    private String name(Request r, String property, int max, boolean lowercase) {
        Object given = r.properties().get(property);
        if (given instanceof String s && !s.isBlank()) {
            return s;
        }
        return generated(r, max, lowercase);
    }

    private synchronized String generated(Request r, int max, boolean lowercase) {
        String suffix = suffix(12);
        String base = r.stackName() + "-" + r.logicalId();
        if (lowercase) {
            base = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
            suffix = suffix.toLowerCase(Locale.ROOT);
        }
        int room = max - suffix.length() - 1;
        return (base.length() > room ? base.substring(0, room) : base) + "-" + suffix;
    }

    private synchronized String suffix(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
