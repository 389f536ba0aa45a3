package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

/**
 * An availability zone as one account sees it: its id ({@code use1-az1}) is the same for every account,
 * its name ({@code us-east-1a}) is mapped per account.
 */
public record Zone(String region, String name, String id) {
    public Zone {
        requireNonNull(region, "region is null");
        requireNonNull(name, "name is null");
        requireNonNull(id, "id is null");
        if (name.isEmpty() || id.isEmpty()) {
            throw new IllegalArgumentException("a zone needs both a name and an id: " + name + "/" + id);
        }
    }
}
