package dev.spotkeeper.core.cloud;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A workload's own security group, the way EC2 keeps them: one per service and region, found again by the workload's
 * tag, admitting one TCP port (the database's) from the sources the user names (other security groups, {@code sg-…},
 * and IPv4 CIDR blocks) and nothing else. No SDK type crosses; failures are {@code SpotkeeperException}s.
 */
public interface SecurityGroupPort {
    Pattern GROUP = Pattern.compile("sg-[0-9a-f]{8}([0-9a-f]{9})?");
    Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /**
     * @param groupId EC2's id ({@code sg-…})
     * @param sources the sources its ingress rules admit, as given
     */
    record Group(String region, String groupId, List<String> sources) {
        public Group {
            requireNonNull(region, "region is null");
            requireNonNull(groupId, "groupId is null");
            sources = List.copyOf(sources);
        }
    }

    /**
     * The workload's group in {@code region}, created (tagged with the workload) with TCP {@code port} ingress from
     * each of {@code sources} when it has none yet; safe to call again: it finds the one made before.
     */
    Group createOrFind(String region, String workload, int port, List<String> sources);

    /** The workload's group in {@code region}; empty when it has none. */
    Optional<Group> find(String region, String workload);

    /** Deletes the group; nothing happens when it is gone already. */
    void delete(Group group);

    /**
     * What is wrong with {@code source} as an ingress source, empty when it is a security group id or an IPv4 CIDR
     * block other than {@code 0.0.0.0/0} (a database open to the internet is not something to write by mistake).
     */
    static Optional<String> malformed(String source) {
        if (GROUP.matcher(source).matches()) {
            return Optional.empty();
        }
        var m = CIDR.matcher(source);
        if (!m.matches()) {
            return Optional.of("'" + source + "' is neither a security group id (sg- and 8 or 17 hex digits) nor an"
                    + " IPv4 CIDR block (10.0.0.0/16)");
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return Optional.of("'" + source + "' is not an IPv4 address: " + m.group(i) + " is above 255");
            }
        }
        if (Integer.parseInt(m.group(5)) > 32) {
            return Optional.of("'" + source + "': a prefix length is at most 32");
        }
        if (Integer.parseInt(m.group(5)) == 0) {
            return Optional.of("'" + source + "' admits the whole internet; name the clients' range instead");
        }
        return Optional.empty();
    }
}
