package dev.spotkeeper.deploy;

import dev.spotkeeper.core.protocol.Tags;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * Least-privilege statements for the controller's functions and for the agent's instances: every action named
 * (no wildcard), resources in this stack's account and region, and what may be launched, tagged or terminated
 * narrowed to instances carrying {@code spotkeeper:managed=true}. The reads that AWS does not scope by resource
 * (EC2's Describe*, spot price history, placement scores; Auto Scaling's and ELB's Describe*) are the only
 * statements on resource {@code *}, as AWS requires.
 */
final class Permissions {
    /** EC2 calls without resource-level permissions: IAM accepts only {@code "Resource": "*"} for them. */
    static final List<String> UNSCOPED_EC2_READS = List.of("ec2:DescribeInstances", "ec2:DescribeSpotPriceHistory",
            "ec2:GetSpotPlacementScores", "ec2:DescribeAvailabilityZones", "ec2:DescribeAddresses",
            "ec2:DescribeSubnets", "ec2:DescribeLaunchTemplates", "ec2:DescribeSecurityGroups");
    /** The fleet's reads of Auto Scaling and Elastic Load Balancing, which support no resource-level permissions. */
    static final List<String> UNSCOPED_FLEET_READS = List.of("autoscaling:DescribeAutoScalingGroups",
            "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeTargetHealth");
    /** Every action allowed on resource {@code *}. */
    static final List<String> UNSCOPED_READS = java.util.stream.Stream.concat(UNSCOPED_EC2_READS.stream(),
            UNSCOPED_FLEET_READS.stream()).toList();
    /** The service's endpoint: the Elastic IP calls {@code aws.internal.Ec2Addresses} makes, besides its reads. */
    static final List<String> ADDRESS_ACTIONS = List.of("ec2:AllocateAddress", "ec2:AssociateAddress",
            "ec2:DisassociateAddress", "ec2:ReleaseAddress");
    /** What {@code aws.AwsFleet} calls on a fleet's Auto Scaling group, besides its reads. */
    static final List<String> GROUP_ACTIONS = List.of("autoscaling:UpdateAutoScalingGroup",
            "autoscaling:DetachInstances", "autoscaling:SetDesiredCapacity", "autoscaling:PutLifecycleHook",
            "autoscaling:CompleteLifecycleAction", "autoscaling:DeleteAutoScalingGroup");
    /** The secrets a service's agent generates and reads ({@code awsclient.SecretsManagerStore}, no deletion). */
    static final List<String> SECRET_ACTIONS = List.of("secretsmanager:CreateSecret",
            "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue");

    private Permissions() {
    }

    private static String ec2(String resource) {
        return "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + resource;
    }

    private static String arn(String service, String resource) {
        return "arn:" + Aws.PARTITION + ":" + service + ":" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + resource;
    }

    private static Map<String, Object> managed(String conditionKeyPrefix) {
        return Map.of("StringEquals", Map.of(conditionKeyPrefix + Tags.MANAGED, "true"));
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources, Map<String, Object> conditions) {
        PolicyStatement.Builder b = PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources);
        if (conditions != null) {
            b.conditions(conditions);
        }
        return b.build();
    }

    /** What the controller does in EC2: launch and tag its instances, read the market, terminate its own. */
    static List<PolicyStatement> controllerEc2(IRole agentRole) {
        String imageArn = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + "::image/*";
        return List.of(
                // The instance and its spot request must be tagged managed at launch (aws:RequestTag)...
                allow(List.of("ec2:RunInstances"), List.of(ec2("instance/*"), ec2("spot-instances-request/*")),
                        managed("aws:RequestTag/")),
                // ...and may use the account's network, volumes, templates and any image of the region.
                allow(List.of("ec2:RunInstances"), List.of(ec2("volume/*"), ec2("network-interface/*"),
                        ec2("subnet/*"), ec2("security-group/*"), ec2("launch-template/*"), imageArn), null),
                allow(List.of("ec2:CreateTags"), List.of(ec2("instance/*"), ec2("spot-instances-request/*")),
                        Map.of("StringEquals", Map.of("ec2:CreateAction", "RunInstances"))),
                allow(List.of("ec2:CreateLaunchTemplate"), List.of(ec2("launch-template/*")), managed("aws:RequestTag/")),
                allow(List.of("ec2:CreateTags"), List.of(ec2("launch-template/*")),
                        Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateLaunchTemplate"))),
                // Tags that ask an agent to evacuate or start, termination, spot-request cleanup: its own instances only.
                allow(List.of("ec2:CreateTags", "ec2:TerminateInstances", "ec2:GetConsoleOutput"),
                        List.of(ec2("instance/*")), managed("aws:ResourceTag/")),
                allow(List.of("ec2:CancelSpotInstanceRequests"), List.of(ec2("spot-instances-request/*")),
                        managed("aws:ResourceTag/")),
                allow(UNSCOPED_EC2_READS, List.of("*"), null),
                // A service's Elastic IP: allocated tagged managed (and tagged only by that allocation), then
                // associated, disassociated and released only when it and the instance carry the tag.
                allow(List.of("ec2:AllocateAddress"), List.of(ec2("elastic-ip/*")), managed("aws:RequestTag/")),
                allow(List.of("ec2:CreateTags"), List.of(ec2("elastic-ip/*")),
                        Map.of("StringEquals", Map.of("ec2:CreateAction", "AllocateAddress"))),
                allow(ADDRESS_ACTIONS.subList(1, ADDRESS_ACTIONS.size()), List.of(ec2("elastic-ip/*"),
                        ec2("instance/*")), managed("aws:ResourceTag/")),
                // A service's own security group: created tagged managed (in any VPC of the account, which
                // CreateSecurityGroup also names), tagged only by that creation, then given its ingress and deleted
                // only while it carries the tag.
                allow(List.of("ec2:CreateSecurityGroup"), List.of(ec2("security-group/*")), managed("aws:RequestTag/")),
                allow(List.of("ec2:CreateSecurityGroup"), List.of(ec2("vpc/*")), null),
                allow(List.of("ec2:CreateTags"), List.of(ec2("security-group/*")),
                        Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateSecurityGroup"))),
                allow(List.of("ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup"),
                        List.of(ec2("security-group/*")), managed("aws:ResourceTag/")),
                // A fleet's launch templates are removed with it, only when tagged managed.
                allow(List.of("ec2:DeleteLaunchTemplate"), List.of(ec2("launch-template/*")), managed("aws:ResourceTag/")),
                // The default image is an SSM public parameter that RunInstances resolves.
                allow(List.of("ssm:GetParameters", "ssm:GetParameter"), List.of("arn:" + Aws.PARTITION + ":ssm:"
                        + Aws.REGION + "::parameter/aws/service/ami-amazon-linux-latest/*"), null),
                allow(List.of("iam:PassRole"), List.of(agentRole.getRoleArn()),
                        Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com"))));
    }

    /**
     * What the controller does for a fleet ({@code aws.AwsFleet}): its Auto Scaling group, created tagged managed and
     * changed only while it carries the tag; its target group, load balancer and listener, which AwsFleet names
     * {@code <fleet>-tg} and {@code <fleet>-lb} (it tags none of them, so their names are what narrows them); the
     * service-linked roles of the two services, made on first use in an account.
     */
    static List<PolicyStatement> controllerFleets() {
        String loadBalancers = arn("elasticloadbalancing", "loadbalancer/app/*-lb/*");
        String targetGroups = arn("elasticloadbalancing", "targetgroup/*-tg/*");
        String group = arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/*");
        return List.of(
                allow(List.of("autoscaling:CreateAutoScalingGroup", "autoscaling:CreateOrUpdateTags"), List.of(group),
                        managed("aws:RequestTag/")),
                allow(GROUP_ACTIONS, List.of(group), managed("aws:ResourceTag/")),
                allow(UNSCOPED_FLEET_READS, List.of("*"), null),
                allow(List.of("elasticloadbalancing:CreateTargetGroup",
                        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup"),
                        List.of(targetGroups), null),
                allow(List.of("elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer"),
                        List.of(loadBalancers), null),
                // A listener goes on the fleet's own load balancer or on one the workload names (any name), and is
                // removed from the latter when the fleet goes.
                allow(List.of("elasticloadbalancing:CreateListener"), List.of(arn("elasticloadbalancing",
                        "loadbalancer/app/*/*"), arn("elasticloadbalancing", "listener/app/*/*/*")), null),
                allow(List.of("elasticloadbalancing:DeleteListener"), List.of(arn("elasticloadbalancing",
                        "listener/app/*/*/*")), null),
                allow(List.of("iam:CreateServiceLinkedRole"), List.of("arn:" + Aws.PARTITION + ":iam::"
                        + Aws.ACCOUNT_ID + ":role/aws-service-role/*"), Map.of("StringEquals", Map.of(
                                "iam:AWSServiceName", List.of("autoscaling.amazonaws.com",
                                        "elasticloadbalancing.amazonaws.com")))));
    }

    /** The controller's objects: agent specs written and checkpoints sized in the checkpoint bucket. */
    static List<PolicyStatement> controllerObjects(IBucket checkpoints, ITopic notifications) {
        return List.of(
                allow(List.of("s3:GetObject", "s3:PutObject"), List.of(checkpoints.arnForObjects("*")), null),
                allow(List.of("s3:ListBucket"), List.of(checkpoints.getBucketArn()), null),
                allow(List.of("sns:Publish"), List.of(notifications.getTopicArn()), null));
    }

    /** The state table's item calls that {@code DynamoDbStateStore} makes; no table management. */
    static final List<String> TABLE_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
            "dynamodb:Query", "dynamodb:TransactWriteItems", "dynamodb:ConditionCheckItem");

    /**
     * What an agent does: its checkpoints, the workload's source and results in the artifacts bucket, the agent jar
     * (that one object of the assets bucket), its reports to the event queue.
     */
    static List<PolicyStatement> agent(IBucket checkpoints, IBucket artifacts, String queueArn, Asset agentJar) {
        return List.of(
                allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), List.of(checkpoints.arnForObjects("*")),
                        null),
                allow(List.of("s3:ListBucket"), List.of(checkpoints.getBucketArn(), artifacts.getBucketArn()), null),
                allow(List.of("s3:GetObject", "s3:PutObject"), List.of(artifacts.arnForObjects("*")), null),
                allow(List.of("s3:GetObject"), List.of("arn:" + Aws.PARTITION + ":s3:::" + agentJar.getS3BucketName()
                        + "/" + agentJar.getS3ObjectKey()), null),
                allow(List.of("sqs:SendMessage"), List.of(queueArn), null),
                // A service's root and application passwords, spotkeeper/<workload>/{root,app} (the ARN adds a suffix).
                allow(SECRET_ACTIONS, List.of(arn("secretsmanager", "secret:spotkeeper/*")), null));
    }
}
