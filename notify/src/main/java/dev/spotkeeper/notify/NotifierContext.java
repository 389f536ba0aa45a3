package dev.spotkeeper.notify;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.SecretStorePort;
import dev.spotkeeper.core.cloud.TopicPort;
import dev.spotkeeper.core.workload.Reference;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link NotifierFactory} builds its notifiers with: one HTTP client, how references are resolved, the
 * topic port when the process has one (SNS), and where Slack's Web API is.
 *
 * @param environment the environment {@code env:NAME} reads ({@code System::getenv} in production)
 * @param secrets what {@code secret:NAME} reads, when the process has Secrets Manager
 * @param requestTimeout how long one request may take before it counts as failed (a hanging receiver)
 * @param slackApi the Web API's base, {@code https://slack.com/api/}
 */
public record NotifierContext(HttpClient http, Function<String, String> environment, Optional<SecretStorePort> secrets,
                              Optional<TopicPort> topics, Duration requestTimeout, URI slackApi) {
    public static final URI SLACK_API = URI.create("https://slack.com/api/");

    public NotifierContext {
        requireNonNull(http, "http is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(topics, "topics is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(slackApi, "slackApi is null");
    }

    /** An HTTP client with a short connect timeout, for a context's {@code http}. */
    public static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The value a reference names; a missing one is a {@code USER} error naming the reference, never a value. */
    public String resolve(Reference r) {
        return switch (r.source()) {
            case ENV -> {
                String v = environment.apply(r.name());
                if (v == null || v.isBlank()) {
                    throw SpotkeeperException.invalidArgument(r + " is not set: set the environment variable "
                            + r.name() + " where the controller runs");
                }
                yield v.trim();
            }
            case SECRET -> secrets.orElseThrow(() -> SpotkeeperException.invalidArgument(r + " needs Secrets Manager,"
                    + " which this process has no access to; use env:NAME here")).value(r.name())
                    .orElseThrow(() -> SpotkeeperException.invalidArgument(r + " does not exist in Secrets Manager;"
                            + " create it (aws secretsmanager create-secret --name " + r.name()
                            + " --secret-string ...) or name another")).trim();
        };
    }
}
