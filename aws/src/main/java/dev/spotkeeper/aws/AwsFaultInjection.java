package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.internal.ChaosRoles;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.awsclient.ClientSettings;
import dev.spotkeeper.awsclient.SdkClients;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.protocol.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateActionInput;
import software.amazon.awssdk.services.fis.model.CreateExperimentTemplateTargetInput;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateSummary;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateTargetInputFilter;
import software.amazon.awssdk.services.fis.model.ValidationException;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@link FaultInjectionPort} on AWS Fault Injection Service (and the emulator's, which speaks its REST-JSON API).
 * A template is found again by its tags ({@code spotkeeper:chaos} and {@code spotkeeper:fault}); on AWS its IAM role
 * is created with it ({@link ChaosRoles}), on the emulator, which checks no role, it names one that need not exist.
 */
public final class AwsFaultInjection implements FaultInjectionPort, AutoCloseable {
    static final String NAME_TAG = Tags.CHAOS;
    static final String FAULT_TAG = Tags.FAULT;
    /** A new IAM role takes a few seconds before FIS can assume it (IAM is eventually consistent). */
    private static final Duration ROLE_PROPAGATION = Duration.ofSeconds(40);

    private final SdkHttpClient http;
    private final FisClient fis;
    private final IamClient iam;
    private final Optional<String> account;
    private final String endpoint;

    private AwsFaultInjection(AwsSettings settings, String region, Optional<String> account, boolean manageRoles) {
        requireNonNull(settings, "settings is null");
        requireNonNull(region, "region is null");
        this.account = requireNonNull(account, "account is null");
        this.http = SdkClients.urlConnectionHttp(Duration.ofSeconds(30));
        ClientSettings client = settings.client(region);
        this.fis = SdkClients.configure(FisClient.builder(), client).httpClient(http).build();
        // IAM is global: its one endpoint is reached through the global region, never through an override.
        this.iam = manageRoles ? SdkClients.configure(IamClient.builder(),
                new ClientSettings(null, Region.AWS_GLOBAL.id(), client.credentials(), client.maxAttempts(),
                        client.callTimeout())).httpClient(http).build() : null;
        this.endpoint = client.endpointFor("fis");
    }

    /** On AWS: each workload's experiments run as a least-privilege role of their own, created when missing. */
    public static AwsFaultInjection onAws(AwsSettings settings, String region, Optional<String> account) {
        return new AwsFaultInjection(settings, region, account, true);
    }

    /** On the local emulator, whose FIS checks no role. */
    public static AwsFaultInjection onEmulator(AwsSettings settings, String region, String account) {
        return new AwsFaultInjection(settings, region, Optional.of(account), false);
    }

    @Override
    public Template ensureTemplate(TemplateSpec spec) {
        Optional<String> found = find(spec);
        if (found.isPresent()) {
            return new Template(found.get(), List.of());
        }
        List<String> created = new ArrayList<>();
        String roleArn;
        boolean newRole = false;
        if (iam != null) {
            ChaosRoles.Role role = new ChaosRoles(iam).ensure(spec.name(), spec.region(), account);
            roleArn = role.arn();
            newRole = role.created();
            if (newRole) {
                created.add("created IAM role " + ChaosRoles.roleName(spec.name()) + " for its experiments: FIS may"
                        + " describe instances and interrupt or terminate only those tagged spotkeeper:workload="
                        + spec.name() + " in " + spec.region());
            }
        } else {
            roleArn = "arn:aws:iam::" + account.orElse("000000000000") + ":role/" + ChaosRoles.roleName(spec.name());
        }
        String id = create(spec, roleArn, newRole);
        created.add(0, "created FIS experiment template " + id + " (" + spec.fault().actionId() + " on the running"
                + " instances tagged " + tags(spec.targetTags()) + ")");
        return new Template(id, created);
    }

    private Optional<String> find(TemplateSpec spec) {
        try {
            for (ExperimentTemplateSummary t : fis.listExperimentTemplatesPaginator(b -> { }).experimentTemplates()) {
                if (spec.name().equals(t.tags().get(NAME_TAG)) && faultTag(spec).equals(t.tags().get(FAULT_TAG))) {
                    return Optional.of(t.id());
                }
            }
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "FIS", "ListExperimentTemplates", endpoint);
        }
    }

    private String create(TemplateSpec spec, String roleArn, boolean newRole) {
        boolean spot = spec.fault() == Fault.SPOT_INTERRUPTION;
        CreateExperimentTemplateTargetInput target = CreateExperimentTemplateTargetInput.builder()
                .resourceType(spot ? "aws:ec2:spot-instance" : "aws:ec2:instance").resourceTags(spec.targetTags())
                .filters(ExperimentTemplateTargetInputFilter.builder().path("State.Name").values("running").build())
                .selectionMode("ALL").build();
        CreateExperimentTemplateActionInput.Builder action = CreateExperimentTemplateActionInput.builder()
                .actionId(spec.fault().actionId()).targets(Map.of(spot ? "SpotInstances" : "Instances", "instances"));
        if (spot) {
            // Two minutes is the notice AWS gives; FIS sends the warning at once with it.
            action.parameters(Map.of("durationBeforeInterruption", "PT2M"));
        }
        long giveUp = System.nanoTime() + ROLE_PROPAGATION.toNanos();
        while (true) {
            try {
                return fis.createExperimentTemplate(b -> b.clientToken(spec.name() + "-" + faultTag(spec))
                        .description("spotkeeper chaos " + spec.name() + ": " + spec.fault().actionId())
                        .roleArn(roleArn).stopConditions(s -> s.source("none"))
                        .targets(Map.of("instances", target)).actions(Map.of("fault", action.build()))
                        .tags(Map.of(NAME_TAG, spec.name(), FAULT_TAG, faultTag(spec))))
                        .experimentTemplate().id();
            } catch (ValidationException e) {
                if (!newRole || System.nanoTime() > giveUp || !e.getMessage().toLowerCase(Locale.ROOT).contains("role")) {
                    throw AwsErrorTranslator.translate(e, "FIS", "CreateExperimentTemplate", endpoint);
                }
                pause();
            } catch (SdkException e) {
                throw AwsErrorTranslator.translate(e, "FIS", "CreateExperimentTemplate", endpoint);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a new IAM role", e);
        }
    }

    private static String faultTag(TemplateSpec spec) {
        return spec.fault().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String tags(Map<String, String> tags) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(tags).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    @Override
    public String start(String templateId, String clientToken) {
        try {
            return fis.startExperiment(b -> b.experimentTemplateId(templateId).clientToken(clientToken)).experiment().id();
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "FIS", "StartExperiment", endpoint);
        }
    }

    @Override
    public FaultInjectionPort.ExperimentState state(String experimentId) {
        try {
            software.amazon.awssdk.services.fis.model.ExperimentState s =
                    fis.getExperiment(b -> b.id(experimentId)).experiment().state();
            return new FaultInjectionPort.ExperimentState(s.statusAsString(), s.reason() == null ? "" : s.reason());
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "FIS", "GetExperiment", endpoint);
        }
    }

    @Override
    public void close() {
        fis.close();
        if (iam != null) {
            iam.close();
        }
        http.close();
    }
}
