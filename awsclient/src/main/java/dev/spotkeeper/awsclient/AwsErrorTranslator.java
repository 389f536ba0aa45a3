package dev.spotkeeper.awsclient;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where AWS SDK failures become {@link SpotkeeperException}s, so no SDK type leaves the adapter
 * and every message says what to do. EC2 error codes are from the EC2 API reference, "Error codes".
 */
public final class AwsErrorTranslator {
    /** Service Quotas code of "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests" (vCPUs). */
    public static final String STANDARD_SPOT_VCPU_QUOTA = "L-34B43A08";

    /** The read-only actions of spotkeeper's market signals, named together when one of them is denied. */
    private static final Set<String> SIGNAL_ACTIONS = Set.of("DescribeSpotPriceHistory",
            "GetSpotPlacementScores", "DescribeAvailabilityZones");

    private AwsErrorTranslator() {
    }

    /**
     * Runs one SDK call, and turns its failure into the {@link SpotkeeperException} {@link #translate} makes: what every
     * AWS adapter wraps its calls in.
     *
     * @param service the service in words, as for {@link #translate(SdkException, String, String, String)}
     * @param action the API action the call makes, for the message and the IAM permission it names
     * @param endpoint where the call goes, asked for only when the call fails
     * @param body the call
     */
    public static <T> T call(String service, String action, java.util.function.Supplier<String> endpoint,
                             java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            throw translate(e, service, action, endpoint.get());
        }
    }

    /**
     * @param action the EC2 action, such as {@code GetSpotPlacementScores}
     * @param endpoint where the call went, for connection failures
     */
    public static SpotkeeperException translate(SdkException e, String action, String endpoint) {
        return translate(e, "EC2", action, endpoint);
    }

    /**
     * @param service the service in words, {@code EC2}, {@code S3}, {@code SQS} or {@code DynamoDB}: its
     *     lower-case name is the IAM prefix of {@code action}
     */
    public static SpotkeeperException translate(SdkException e, String service, String action, String endpoint) {
        if (e instanceof AwsServiceException aws) {
            return fromService(aws, service, action);
        }
        if (isCredentialsProblem(e) && !(e instanceof ApiCallTimeoutException)) {
            return credentialsMissing(e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || hasIoCause(e)) {
            return SpotkeeperException.of(ErrorCode.UNAVAILABLE, "cannot reach " + service + " at " + endpoint + " ("
                    + rootMessage(e) + "); check the network connection, or --endpoint-url if you set one", e);
        }
        return SpotkeeperException.of(ErrorCode.CLOUD_ERROR, action + " failed: " + firstLine(e.getMessage()), e);
    }

    private static SpotkeeperException fromService(AwsServiceException e, String service, String action) {
        String permission = service.toLowerCase(Locale.ROOT) + ":" + action;
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? firstLine(e.getMessage()) : e.awsErrorDetails().errorMessage();
        if (code.isEmpty() && (e.statusCode() == 401 || e.statusCode() == 403)) {
            // The JDK's URL connection drops the body of a 401 answer to a streamed POST, so EC2's
            // AuthFailure arrives without its code; the status alone still says the credentials were refused.
            code = e.statusCode() == 401 ? "AuthFailure" : "UnauthorizedOperation";
            message = "HTTP " + e.statusCode();
        }
        String said = action + " failed with " + (code.isEmpty() ? "HTTP " + e.statusCode() : code) + ": " + message;
        return switch (code) {
            case "RequestLimitExceeded", "Throttling", "ThrottlingException", "TooManyRequestsException",
                    "ProvisionedThroughputExceededException", "SlowDown" ->
                    SpotkeeperException.of(ErrorCode.THROTTLED, said + "; " + service + " is throttling this account, "
                            + "wait a few minutes and try again", e);
            case "UnauthorizedOperation", "AccessDenied", "AccessDeniedException" ->
                    SpotkeeperException.of(ErrorCode.ACCESS_DENIED, said + "; the IAM identity needs " + permission
                            + (SIGNAL_ACTIONS.contains(action) ? " (spotkeeper's signals need "
                            + "ec2:DescribeSpotPriceHistory, ec2:GetSpotPlacementScores and "
                            + "ec2:DescribeAvailabilityZones)" : ""), e);
            case "AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException",
                    "ExpiredToken", "RequestExpired" ->
                    SpotkeeperException.of(ErrorCode.ACCESS_DENIED, said + "; AWS rejected the credentials: check "
                            + "them with 'aws sts get-caller-identity', run 'aws configure' or pass --profile, and "
                            + "make sure the IAM identity may call " + permission, e);
            case "OptInRequired" -> SpotkeeperException.of(ErrorCode.ACCESS_DENIED, said
                    + "; enable the region for this account (AWS console, Account settings) or leave it out", e);
            case "InsufficientInstanceCapacity" -> SpotkeeperException.of(ErrorCode.INSUFFICIENT_CAPACITY,
                    said + "; try another AZ or instance type, or later", e);
            case "VcpuLimitExceeded", "MaxSpotInstanceCountExceeded" -> SpotkeeperException.of(
                    ErrorCode.QUOTA_EXCEEDED, said + "; raise the Spot vCPU quota in the Service Quotas console "
                            + "(Amazon EC2, 'All Standard Spot Instance Requests') or with 'aws service-quotas "
                            + "request-service-quota-increase --service-code ec2 --quota-code "
                            + STANDARD_SPOT_VCPU_QUOTA + " --desired-value N'", e);
            case "SpotMaxPriceTooLow" -> SpotkeeperException.of(ErrorCode.SPOT_PRICE_TOO_LOW,
                    said + "; raise the maximum price or leave it unset (it then defaults to on-demand)", e);
            case "InvalidParameterValue", "InvalidParameterCombination", "InvalidParameter", "MissingParameter",
                    "InvalidInstanceType", "UnknownParameter" ->
                    SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, said, e);
            case "IdempotentParameterMismatch" -> SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, said
                    + "; the launch's client token was used before for a different launch: use a new generation", e);
            case "NoSuchBucket" -> SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, said
                    + "; create the bucket first (spotkeeper creates its buckets private and encrypted) or fix its name", e);
            case "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist" -> SpotkeeperException.of(
                    ErrorCode.INVALID_ARGUMENT, said + "; create the events queue first or fix its URL", e);
            case "ResourceNotFoundException" -> SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, said
                    + "; create spotkeeper's state table first or fix its name", e);
            default -> e.statusCode() >= 500
                    ? SpotkeeperException.of(ErrorCode.UNAVAILABLE, said + "; " + service + " had a server-side problem, "
                            + "try again later", e)
                    : SpotkeeperException.of(ErrorCode.CLOUD_ERROR, said, e);
        };
    }

    private static SpotkeeperException credentialsMissing(SdkException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        // The chain's message lists every provider it tried; the user needs only the outcome.
        int dump = m.indexOf(": ProfileFile(");
        String what = m.contains("any of the providers in the chain") ? "no AWS credentials found"
                : "no usable AWS credentials (" + firstLine(dump < 0 ? m : m.substring(0, dump)) + ")";
        return SpotkeeperException.of(ErrorCode.CREDENTIALS_MISSING, what + "; configure them with 'aws configure', "
                + "pass --profile NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e);
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The SDK reports an unresolvable credential chain or a missing profile as a plain client exception. */
    private static boolean isCredentialsProblem(Throwable e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("unable to load credentials") || m.contains("contained no credentials")
                || m.contains("profile file") || m.contains("no credentials");
    }

    /** The root cause in words: "connection refused", "unknown host ec2.x", not a class name. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? "" : firstLine(root.getMessage());
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host " + m;
        }
        if (root instanceof java.net.SocketTimeoutException || e instanceof ApiCallTimeoutException
                || e instanceof ApiCallAttemptTimeoutException) {
            return "timed out";
        }
        if (root instanceof javax.net.ssl.SSLException) {
            return "TLS failed: " + m;
        }
        return m.isEmpty() ? "no answer" : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        String line = nl < 0 ? m : m.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
