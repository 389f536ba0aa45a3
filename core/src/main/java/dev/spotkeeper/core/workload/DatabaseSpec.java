package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The database a service keeps: its engine and version, the schema created on first start (with an application user
 * of the same name), an optional SQL file run once on first start, and how it is backed up.
 *
 * @param init the path of a SQL file below the instance's work directory (where {@code buckets.source} is copied),
 *     run once on first start; empty for none
 * @param allowFrom who may connect to the database port: security groups ({@code sg-…}) and IPv4 CIDR blocks, for
 *     the service's own security group; empty for none named
 */
public record DatabaseSpec(Engine engine, String version, String schema, String init, Backup backup,
                           java.util.List<String> allowFrom) {
    /** What the version looks like: major and minor, as the distributions package them ({@code 10.11}, {@code 8.0}). */
    static final Pattern VERSION = Pattern.compile("[0-9]{1,2}\\.[0-9]{1,2}");
    /** A schema name that needs no quoting in SQL or in a shell word. */
    static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");

    /** The server: both speak the same protocol and have the same binary-log tools. */
    public enum Engine {
        MARIADB, MYSQL;

        /** As written in a workload file: {@code mariadb}, {@code mysql}. */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How the data is protected: a physical base backup every {@code base}, and the binary log shipped every
     * {@code ship}.
     */
    public record Backup(Duration base, Duration ship) {
        public Backup {
            requireNonNull(base, "base is null");
            requireNonNull(ship, "ship is null");
            if (ship.isNegative() || ship.isZero() || base.compareTo(ship) <= 0) {
                throw new IllegalArgumentException("backup.ship must be positive and shorter than backup.base, was"
                        + " base " + base + " and ship " + ship);
            }
        }
    }

    /** A database whose clients are not named ({@code allowFrom} empty). */
    public DatabaseSpec(Engine engine, String version, String schema, String init, Backup backup) {
        this(engine, version, schema, init, backup, java.util.List.of());
    }

    public DatabaseSpec {
        allowFrom = java.util.List.copyOf(allowFrom);
        for (String source : allowFrom) {
            dev.spotkeeper.core.cloud.SecurityGroupPort.malformed(source).ifPresent(why -> {
                throw new IllegalArgumentException("allowFrom: " + why);
            });
        }
        requireNonNull(engine, "engine is null");
        requireNonNull(version, "version is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(init, "init is null");
        requireNonNull(backup, "backup is null");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version must be major.minor like 10.11, was '" + version + "'");
        }
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a letter or '_' then up to 31 letters, digits or '_',"
                    + " was '" + schema + "'");
        }
        if (!init.isEmpty() && !isRelativePath(init)) {
            throw new IllegalArgumentException("init must be a relative path below the work directory, was '"
                    + init + "'");
        }
    }

    static boolean isRelativePath(String path) {
        if (path.startsWith("/") || path.contains("\\") || path.chars().anyMatch(c -> c < 0x20)) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                return false;
            }
        }
        return true;
    }
}
