package dev.spotkeeper.core.cloud;

/** Secret values by name (Secrets Manager on AWS), for what the workload file names as {@code secret:NAME}. */
public interface SecretsPort {
    /**
     * The secret's string value. A secret that does not exist is a {@code USER} error that names it; the value is
     * never part of any message.
     */
    String secretString(String name);
}
