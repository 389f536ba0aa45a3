package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.cli.local.LocalPlane;
import dev.spotkeeper.cli.local.PlaneLock;
import dev.spotkeeper.core.SpotkeeperException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A local home of a test's own, the home property pointed at it while the test runs; closed, it stops whatever
 * plane runs there and ends every process that plane had started (and any the test named), even when the test
 * failed half-way, then puts the property back.
 */
final class PlaneHome implements AutoCloseable {
    private final LocalHome home;
    private final String before;
    private final List<ProcessHandle> alsoEnd = new ArrayList<>();

    private PlaneHome(LocalHome home, String before) {
        this.home = home;
        this.before = before;
    }

    static PlaneHome in(Path dir) {
        String before = System.getProperty(LocalHome.PROPERTY);
        LocalHome home = new LocalHome(dir);
        System.setProperty(LocalHome.PROPERTY, home.dir().toString());
        return new PlaneHome(home, before);
    }

    LocalHome home() {
        return home;
    }

    /** Processes to end on close, such as what a plane the test killed had started. */
    void alsoEnd(List<ProcessHandle> processes) {
        alsoEnd.addAll(processes);
    }

    @Override
    public void close() {
        Optional<Connection> c;
        try {
            c = Connection.read(home.connectionFile());
        } catch (SpotkeeperException damaged) {
            c = Optional.empty();
        }
        // The plane only while it holds the home's lock: the pid of a plane that died may since be someone else's.
        // Taken before the stop: a handle destroys only the very process it was taken for.
        Optional<ProcessHandle> plane = c.flatMap(x -> ProcessHandle.of(x.pid())).filter(h -> PlaneLock.held(home));
        List<ProcessHandle> tree = plane.map(h -> h.descendants().toList()).orElse(List.of());
        if (c.isPresent()) {
            LocalPlane.stop(home, Duration.ofSeconds(20));
        }
        plane.ifPresent(ProcessHandle::destroyForcibly);
        tree.forEach(ProcessHandle::destroyForcibly);
        alsoEnd.forEach(ProcessHandle::destroyForcibly);
        if (before == null) {
            System.clearProperty(LocalHome.PROPERTY);
        } else {
            System.setProperty(LocalHome.PROPERTY, before);
        }
    }
}
