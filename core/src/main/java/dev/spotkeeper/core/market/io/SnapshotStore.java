package dev.spotkeeper.core.market.io;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.MarketSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Market snapshots kept on disk by {@code signals refresh}: {@code latest.json} in spotkeeper's format, replaced
 * atomically so a failed refresh never leaves a half-written snapshot behind.
 */
public final class SnapshotStore {
    private final Path directory;

    public SnapshotStore(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** {@code $SPOTKEEPER_HOME/signals}, or {@code ~/.spotkeeper/signals}. */
    public static SnapshotStore defaultStore() {
        String home = System.getenv("SPOTKEEPER_HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".spotkeeper");
        return new SnapshotStore(base.resolve("signals"));
    }

    public Path latestPath() {
        return directory.resolve("latest.json");
    }

    public Optional<MarketSnapshot> latest(InstanceCatalog catalog) {
        Path p = latestPath();
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        return Optional.of(MarketFile.read(p, catalog));
    }

    public Path save(MarketSnapshot snapshot) {
        try {
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, "latest", ".json.tmp");
            Files.writeString(tmp, MarketFile.toJson(snapshot), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, latestPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, latestPath(), StandardCopyOption.REPLACE_EXISTING);
            }
            return latestPath();
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot write the market snapshot to " + directory + ": " + e.getMessage());
        }
    }
}
