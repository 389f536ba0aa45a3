package dev.spotkeeper.core.market;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The instance types spotkeeper knows the facts of, by name. */
public final class InstanceCatalog {
    private final Map<String, InstanceType> types;

    public InstanceCatalog(Map<String, InstanceType> types) {
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
    }

    public Optional<InstanceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The type, or an error that names the nearest known types. */
    public InstanceType require(String name) {
        InstanceType type = types.get(name);
        if (type == null) {
            throw SpotkeeperException.of(ErrorCode.UNKNOWN_INSTANCE_TYPE,
                    "unknown instance type '" + name + "'" + Names.didYouMean(name, types.keySet()));
        }
        return type;
    }

    public Set<String> names() {
        return new TreeSet<>(types.keySet());
    }

    public int size() {
        return types.size();
    }

    /**
     * GPUs per instance for the accelerated families; the Spot Advisor feed does not carry them. Counts are
     * from the EC2 instance type pages (accelerated computing).
     */
    public static int gpusOf(String typeName) {
        String family = InstanceType.familyOf(typeName);
        String size = typeName.substring(Math.min(typeName.length(), family.length() + 1));
        return switch (family) {
            case "p2" -> switch (size) { case "8xlarge" -> 8; case "16xlarge" -> 16; default -> 1; };
            case "p3" -> switch (size) { case "8xlarge" -> 4; case "16xlarge" -> 8; default -> 1; };
            case "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "p6-b200" -> 8;
            case "g3" -> switch (size) { case "8xlarge" -> 2; case "16xlarge" -> 4; default -> 1; };
            case "g3s", "gr6", "g5g" -> size.equals("16xlarge") || size.equals("metal") ? 2 : 1;
            case "g4dn", "g5", "g6", "g6e", "g4ad" -> switch (size) {
                case "12xlarge", "24xlarge" -> 4;
                case "48xlarge", "metal" -> 8;
                default -> family.equals("g4ad") && size.equals("8xlarge") ? 2
                        : family.equals("g4ad") && size.equals("16xlarge") ? 4 : 1;
            };
            default -> 0;
        };
    }
}
