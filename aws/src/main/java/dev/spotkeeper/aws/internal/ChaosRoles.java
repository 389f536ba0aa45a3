package dev.spotkeeper.aws.internal;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.protocol.Tags;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The IAM role an experiment of {@code spotkeeper chaos} runs as, one per workload and least privilege (the FIS
 * User Guide's "IAM roles for AWS FIS experiments" and the actions reference): FIS may describe instances, and
 * interrupt or terminate only the instances tagged {@code spotkeeper:workload=<name>} in the workload's region.
 */
public final class ChaosRoles {
    static final String POLICY_NAME = "spotkeeper-chaos";
    private static final int MAX_ROLE_NAME = 64;

    private final IamClient iam;

    public ChaosRoles(IamClient iam) {
        this.iam = iam;
    }

    /** The role's name: {@code spotkeeper-chaos-<workload>}, shortened with a hash past IAM's 64 characters. */
    public static String roleName(String workload) {
        String name = "spotkeeper-chaos-" + workload;
        if (name.length() <= MAX_ROLE_NAME) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(workload.getBytes(StandardCharsets.UTF_8));
            String suffix = "-" + HexFormat.of().formatHex(hash, 0, 4);
            return name.substring(0, MAX_ROLE_NAME - suffix.length()) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** FIS may assume it, only on behalf of this account when it is known (the confused-deputy guard). */
    public static String trustPolicy(Optional<String> account) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Service", "fis.amazonaws.com"));
        statement.put("Action", "sts:AssumeRole");
        account.ifPresent(a -> statement.put("Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", a))));
        return Json.write(Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
    }

    /** What the experiments may do: find instances, and interrupt or terminate the workload's own. */
    public static String permissions(String workload, String region, Optional<String> account) {
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("Sid", "InterruptOrTerminateTheWorkloadsInstances");
        act.put("Effect", "Allow");
        act.put("Action", List.of("ec2:SendSpotInstanceInterruptions", "ec2:TerminateInstances"));
        act.put("Resource", "arn:aws:ec2:" + region + ":" + account.orElse("*") + ":instance/*");
        act.put("Condition", Map.of("StringEquals", Map.of("aws:ResourceTag/" + Tags.WORKLOAD, workload)));
        Map<String, Object> find = new LinkedHashMap<>();
        find.put("Sid", "FindInstances");
        find.put("Effect", "Allow");
        // DescribeInstances has no resource-level permissions: "*" is the only resource it takes.
        find.put("Action", "ec2:DescribeInstances");
        find.put("Resource", "*");
        return Json.write(Map.of("Version", "2012-10-17", "Statement", List.of(act, find)));
    }

    /** The role of the workload's experiments, created when missing; its ARN and what was created. */
    public Role ensure(String workload, String region, Optional<String> account) {
        String name = roleName(workload);
        String action = "GetRole";
        try {
            String arn;
            boolean created = false;
            try {
                arn = iam.getRole(b -> b.roleName(name)).role().arn();
            } catch (NoSuchEntityException missing) {
                action = "CreateRole";
                arn = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trustPolicy(account))
                        .description("spotkeeper chaos: FIS experiments on the instances of workload " + workload)
                        .tags(t -> t.key(Tags.WORKLOAD).value(workload))).role().arn();
                created = true;
            }
            action = "PutRolePolicy";
            // Written every time, so a role made by an older spotkeeper gets today's least-privilege policy.
            iam.putRolePolicy(b -> b.roleName(name).policyName(POLICY_NAME).policyDocument(
                    permissions(workload, region, account)));
            return new Role(arn, created);
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "IAM", action, "https://iam.amazonaws.com");
        }
    }

    /** A role's ARN, and whether this call created it. */
    public record Role(String arn, boolean created) {
    }
}
