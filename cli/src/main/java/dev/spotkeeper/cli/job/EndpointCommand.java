package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.AddressPort;
import dev.spotkeeper.core.cloud.SecretStorePort;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.core.workload.ServiceExtension;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spotkeeper endpoint NAME}: where a service's clients connect (its stable address), with which user and
 * database; the password only with {@code --show-password}, read from the secret store. For a fleet, the URL of its
 * load balancer, from what the controller stored.
 */
@Command(name = "endpoint", mixinStandardHelpOptions = true,
        description = "Print where a service's clients connect: host, port, user and database. The host and port "
                + "stay the same when the database moves. For a fleet, the URL of its load balancer.")
public final class EndpointCommand implements Callable<Integer> {
    /** The database's port behind the address. */
    static final int DATABASE_PORT = 3306;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DeploymentOptions deployment;

    @Parameters(index = "0", paramLabel = "NAME", description = "Workload name (a kind: service).")
    String name;

    @Option(names = "--json", description = "Print {\"host\", \"port\", \"user\", \"database\"} as JSON ({\"url\", \"dnsName\"} for a"
            + " fleet).")
    boolean json;

    @Option(names = "--show-password", description = "Also print the application user's password (from the secret store).")
    boolean showPassword;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JobBackend backend = JobBackends.open(deployment)) {
            WorkloadRecord w = Jobs.workload(backend, name);
            WorkloadSpec s = WorkloadSpecJson.read("stored", w.specText());
            if (s.extension() instanceof dev.spotkeeper.core.workload.FleetExtension) {
                return fleet(backend, w, out);
            }
            if (!(s.extension() instanceof ServiceExtension service)) {
                throw SpotkeeperException.invalidArgument("'" + name + "' is a " + s.kind().name()
                        .toLowerCase(java.util.Locale.ROOT) + ", not a service or a fleet: only a workload of kind:"
                        + " service or kind: fleet has an endpoint (`spotkeeper status " + name + "` shows where a job"
                        + " runs)");
            }
            if (w.status().isTerminal()) {
                throw SpotkeeperException.invalidArgument("'" + name + "' has ended (" + Jobs.status(w)
                        + "): it has no endpoint any more; submit it again to serve its data");
            }
            AddressPort addresses = backend.addresses().orElseThrow(() -> SpotkeeperException.invalidArgument(
                    backend.description() + " gives services no stable address"));
            Optional<AddressPort.StableAddress> found = Optional.empty();
            for (String region : s.requirements().regions()) {
                found = addresses.find(region, name);
                if (found.isPresent()) {
                    break;
                }
            }
            AddressPort.StableAddress a = found.orElseThrow(() -> SpotkeeperException.invalidArgument("'" + name
                    + "' has no endpoint yet: its first primary is still starting (`spotkeeper status " + name
                    + "`); try again once it runs"));
            String user = service.database().schema();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", a.host());
            m.put("port", a.port(DATABASE_PORT));
            m.put("user", user);
            m.put("database", service.database().schema());
            if (showPassword) {
                SecretStorePort secrets = backend.databaseSecrets().orElseThrow(() -> SpotkeeperException
                        .invalidArgument(backend.description() + " has no secret store to read the password from"));
                String secret = "spotkeeper/" + name + "/app";
                m.put("password", secrets.value(secret).orElseThrow(() -> SpotkeeperException.invalidArgument(
                        "the secret " + secret + " does not exist yet: the first primary creates it when it starts")));
            }
            if (json) {
                out.println(Json.write(m));
            } else {
                m.forEach((k, v) -> out.println(String.format(java.util.Locale.ROOT, "%-9s %s", k + ":", v)));
            }
            out.flush();
            return 0;
        }
    }

    /** A fleet's load balancer URL, from the fleet's stored state: no cloud call but the emulator's own look-up. */
    private int fleet(JobBackend backend, WorkloadRecord w, PrintWriter out) {
        dev.spotkeeper.core.store.FleetState f = w.fleet();
        if (w.status().isTerminal() || f.deleted()) {
            throw SpotkeeperException.invalidArgument("'" + name + "' has ended (" + Jobs.status(w)
                    + "): its load balancer is deleted; submit it again to serve");
        }
        if (!f.made()) {
            throw SpotkeeperException.invalidArgument("'" + name + "' has no load balancer yet: the controller makes"
                    + " it at its next pass (`spotkeeper status " + name + "`); try again in a few seconds");
        }
        String url = backend.loadBalancerUrl(f.loadBalancerArn(), f.dnsName());
        out.println(json ? Json.write(Map.of("url", url, "dnsName", f.dnsName())) : url);
        out.flush();
        return 0;
    }
}
