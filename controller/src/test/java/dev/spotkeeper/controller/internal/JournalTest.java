package dev.spotkeeper.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalTest {
    private final Journal journal = new Journal(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC));
    private final List<ControllerEvent> heard = new ArrayList<>();

    @Test
    void whileStopping_errorsOfTheCutShortPassAreKeptButNotPassedOn_otherEventsStillAre() {
        journal.addListener(heard::add);
        journal.note("train", "", Kind.ERROR, "before");

        journal.stopping();
        journal.note("", "", Kind.ERROR, "Query failed: Thread was interrupted");
        journal.note("train", "i-1", Kind.TERMINATED, "job finished");

        assertThat(heard).extracting(ControllerEvent::message).containsExactly("before", "job finished");
        assertThat(journal.all()).extracting(ControllerEvent::message)
                .containsExactly("before", "Query failed: Thread was interrupted", "job finished");
    }
}
