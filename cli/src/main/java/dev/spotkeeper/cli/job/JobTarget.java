package dev.spotkeeper.cli.job;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.cli.local.LocalPlane;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the job commands act: the running local control plane, this machine with none running, or AWS. Decided
 * without building any client, from the options, the environment and the AWS profile:
 * <ol>
 * <li>an endpoint ({@code AWS_ENDPOINT_URL}, or the named profile's {@code endpoint_url}) that is the running
 * plane's, or the plane's own access key in {@code AWS_ACCESS_KEY_ID}, means the plane: exporting the lines
 * {@code local status} prints, to use the AWS CLI against it, must not send spotkeeper to AWS;</li>
 * <li>otherwise {@code --profile}, {@code AWS_PROFILE} or {@code AWS_ACCESS_KEY_ID} mean AWS;</li>
 * <li>otherwise this machine: the plane when one runs.</li>
 * </ol>
 */
sealed interface JobTarget {
    /** One line for people, stable across restarts of the same target (remembered, compared). */
    String describe();

    /** A running local control plane; {@code why} says what pointed here when AWS settings were present. */
    record Plane(Connection connection, LocalHome home, String why) implements JobTarget {
        public Plane {
            requireNonNull(connection, "connection is null");
            requireNonNull(home, "home is null");
            requireNonNull(why, "why is null");
        }

        @Override
        public String describe() {
            return "the local control plane in " + home.dir();
        }
    }

    /** This machine, with no plane running. */
    record NoPlane(LocalHome home) implements JobTarget {
        @Override
        public String describe() {
            return "the local control plane in " + home.dir();
        }
    }

    /**
     * AWS, or an endpoint that is not a running plane.
     *
     * @param credentials which credentials sign: {@code profile NAME}, {@code access key ****ABCD}, {@code default}
     */
    record Aws(String credentials, String region, Optional<String> endpoint) implements JobTarget {
        @Override
        public String describe() {
            return "AWS (" + credentials + ", " + region + endpoint.map(e -> ", endpoint " + e).orElse("") + ")";
        }
    }

    /** Where to look things up: the environment and the AWS profiles' {@code endpoint_url}. */
    record Environment(Function<String, String> variables, Function<String, Optional<String>> profileEndpoint) {
        static Environment system() {
            return new Environment(System::getenv, JobTarget::profileEndpoint);
        }

        String get(String name) {
            String v = variables.apply(name);
            return v == null || v.isBlank() ? null : v.strip();
        }
    }

    static JobTarget resolve(DeploymentOptions options, Environment env, LocalHome home) {
        String profile = options.profile() != null ? options.profile() : env.get("AWS_PROFILE");
        String endpoint = env.get("AWS_ENDPOINT_URL");
        if (endpoint == null && profile != null) {
            endpoint = env.profileEndpoint().apply(profile).orElse(null);
        }
        String key = env.get("AWS_ACCESS_KEY_ID");
        if (profile == null && endpoint == null && key == null) {
            Optional<Connection> c = LocalPlane.running(home);
            return c.isPresent() ? new Plane(c.get(), home, "") : new NoPlane(home);
        }
        Optional<Connection> c = LocalPlane.running(home);
        if (c.isPresent()) {
            if (endpoint != null && sameEndpoint(endpoint, c.get().endpoint())) {
                return new Plane(c.get(), home, "the endpoint " + endpoint + " is the local control plane's");
            }
            if (endpoint == null && options.profile() == null && key != null && key.equals(c.get().accessKeyId())) {
                return new Plane(c.get(), home, "AWS_ACCESS_KEY_ID is the local control plane's key");
            }
        }
        String region = options.region() != null ? options.region() : "us-east-1";
        String credentials = options.profile() != null ? "profile " + options.profile()
                : key != null ? "access key " + mask(key) : "profile " + profile;
        return new Aws(credentials, region, Optional.ofNullable(endpoint));
    }

    /** Loopback names are one: a plane listens on 127.0.0.1, people write localhost. */
    static boolean sameEndpoint(String a, String b) {
        try {
            URI x = URI.create(a.endsWith("/") ? a.substring(0, a.length() - 1) : a);
            URI y = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
            return x.getScheme() != null && x.getScheme().equalsIgnoreCase(y.getScheme())
                    && loopback(x.getHost()).equals(loopback(y.getHost())) && x.getPort() == y.getPort()
                    && (x.getPath() == null || x.getPath().isEmpty());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String loopback(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") ? "127.0.0.1" : h;
    }

    /** As {@code aws configure list} shows a key: enough to tell two apart, nothing to sign with. */
    static String mask(String key) {
        return "****" + key.substring(Math.max(0, key.length() - 4));
    }

    /** The profile's {@code endpoint_url} in the AWS config files, if it has one. */
    private static Optional<String> profileEndpoint(String profile) {
        try {
            return software.amazon.awssdk.profiles.ProfileFile.defaultProfileFile().profile(profile)
                    .flatMap(p -> p.property("endpoint_url"));
        } catch (RuntimeException e) {
            // An unreadable config file: the SDK reports it, with its own words, when the command builds a client.
            return Optional.empty();
        }
    }
}
