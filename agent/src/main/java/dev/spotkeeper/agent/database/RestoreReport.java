package dev.spotkeeper.agent.database;

import java.util.List;
import java.util.Optional;

/**
 * What a restore did: the base it restored (and those it refused, with why), the position it reached, and, when it
 * could not reach the newest shipped position, the GTID range that is missing: a degraded restore.
 *
 * @param base the key of the base restored
 * @param refused one line per base or segment that failed verification
 * @param segments how many binary-log segments were replayed
 * @param position the GTID position the restored server holds
 * @param missing the range not restored, {@code after X up to Y}, when degraded
 */
public record RestoreReport(String base, List<String> refused, int segments, String position,
                            Optional<String> missing) {
    public RestoreReport {
        refused = List.copyOf(refused);
    }

    public boolean degraded() {
        return missing.isPresent();
    }
}
