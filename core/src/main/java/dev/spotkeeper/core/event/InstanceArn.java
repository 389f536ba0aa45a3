package dev.spotkeeper.core.event;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EC2 instance ARN, {@code arn:<partition>:ec2:<region>:<account>:instance/<instance-id>} (the form the AWS
 * General Reference gives for EC2 resources, and the one EventBridge puts in an EC2 event's {@code resources}).
 * The account may be empty only where the text leaves it empty; everything else must be there.
 */
public record InstanceArn(String partition, String region, String account, String instanceId) {
    private static final Set<String> PARTITIONS = Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b");
    private static final Pattern ARN = Pattern.compile(
            "arn:([a-z-]+):ec2:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12})?:instance/(i-[0-9a-zA-Z]+)");

    public InstanceArn {
        requireNonNull(partition, "partition is null");
        requireNonNull(region, "region is null");
        requireNonNull(account, "account is null");
        requireNonNull(instanceId, "instanceId is null");
    }

    /** The ARN in {@code text}, or empty when it is not a well-formed EC2 instance ARN. */
    public static Optional<InstanceArn> parse(String text) {
        Matcher m = ARN.matcher(text);
        if (!m.matches() || !PARTITIONS.contains(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new InstanceArn(m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3), m.group(4)));
    }

    /** The partition a region belongs to: {@code aws-cn} for China, {@code aws-us-gov} for GovCloud, else {@code aws}. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":ec2:" + region + ":" + account + ":instance/" + instanceId;
    }
}
