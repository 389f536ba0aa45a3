package dev.spotkeeper.core.workload;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a secret value (a webhook URL, a token) is found, never the value itself: {@code env:NAME} for an
 * environment variable of the process that sends, {@code secret:NAME} for a secret in Secrets Manager (the
 * emulator's locally). The workload file, the store and every log hold only the reference.
 */
public record Reference(Source source, String name) {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Secrets Manager's name characters, up to its 512. */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");

    public enum Source {
        ENV("env"),
        SECRET("secret");

        private final String prefix;

        Source(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public Reference {
        requireNonNull(source, "source is null");
        requireNonNull(name, "name is null");
        if (!(source == Source.ENV ? ENV_NAME : SECRET_NAME).matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid " + source.prefix() + " name");
        }
    }

    /** {@code env:NAME} or {@code secret:NAME}; empty for anything else (a literal value most often). */
    public static Optional<Reference> parse(String text) {
        for (Source s : Source.values()) {
            String p = s.prefix() + ":";
            if (text.startsWith(p)) {
                String name = text.substring(p.length());
                if ((s == Source.ENV ? ENV_NAME : SECRET_NAME).matcher(name).matches()) {
                    return Optional.of(new Reference(s, name));
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return source.prefix() + ":" + name;
    }
}
