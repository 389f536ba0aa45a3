package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterruptionTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final String POOL = "us-east-1/us-east-1a/m5.large";

    private static ControllerEvent at(double seconds, String instance, Kind kind, String message) {
        return new ControllerEvent(T0.plusMillis(Math.round(seconds * 1000)), "train", instance, kind, message);
    }

    /** What the controller logs for a warned instance evacuated and replaced, and for the job's life before it. */
    private static List<ControllerEvent> warnedAndRestored() {
        return new ArrayList<>(List.of(
                at(-60, "i-old", Kind.LAUNCHED, "generation 1"),
                at(-55, "i-old", Kind.RESTORED, "fresh start"),
                at(-10, "i-old", Kind.CHECKPOINTED, "checkpoint ckpt-01"),
                at(0.4, "i-old", Kind.AT_RISK, "interruption warning; evacuate by …"),
                at(0.5, "i-new", Kind.LAUNCHED, "generation 2, spot …, replacing i-old"),
                at(2.0, "i-old", Kind.EVACUATED, "checkpoint ckpt-02"),
                at(9.5, "i-new", Kind.RESTORED, "restored ckpt-02 (1024 bytes in 0.2 s)")));
    }

    @Test
    void aWarnedInstance_replacedAndRestored_isHandled_andItsLineHasEveryStep() {
        Interruption i = new Interruption(1, "i-old", POOL, T0, true, warnedAndRestored());

        assertThat(i.handled()).isTrue();
        assertThat(i.line()).isEqualTo("interruption 1: i-old (" + POOL + "): warning +0.4 s → replacement i-new"
                + " requested +0.5 s → restored +9.5 s (ckpt-02)");
        assertThat(InterruptionFigures.workLost(i)).containsExactly("0.0 s of work lost");
    }

    @Test
    void withoutAWarning_theWorkSinceTheLastBackgroundCheckpointIsLost() {
        List<ControllerEvent> events = new ArrayList<>(List.of(
                at(-55, "i-old", Kind.RESTORED, "fresh start"),
                at(-12.5, "i-old", Kind.CHECKPOINTED, "checkpoint ckpt-01"),
                at(0.3, "i-old", Kind.TERMINATED, "instance terminated without warning"),
                at(1.0, "i-new", Kind.LAUNCHED, "generation 2"),
                at(8.0, "i-new", Kind.RESTORED, "restored ckpt-01 (1024 bytes in 0.2 s)")));

        Interruption i = new Interruption(2, "i-old", POOL, T0, false, events);

        assertThat(i.line()).startsWith("interruption 2: i-old (" + POOL + "): terminated +0.3 s → replacement i-new");
        assertThat(InterruptionFigures.workLost(i)).containsExactly("12.8 s of work lost");
    }

    @Test
    void aFreshStartOfTheReplacement_losesAllSinceTheJobFirstRan() {
        List<ControllerEvent> events = new ArrayList<>(List.of(
                at(-40, "i-old", Kind.RESTORED, "fresh start"),
                at(0.3, "i-old", Kind.TERMINATED, "instance terminated without warning"),
                at(1.0, "i-new", Kind.LAUNCHED, "generation 2"),
                at(8.0, "i-new", Kind.RESTORED, "fresh start")));

        Interruption i = new Interruption(1, "i-old", POOL, T0, false, events);

        assertThat(i.line()).endsWith("→ restored +8.0 s (fresh start)");
        assertThat(InterruptionFigures.workLost(i)).containsExactly("40.3 s of work lost");
    }

    @Test
    void beforeTheRestore_theLineSaysWhatIsNotSeenYet_andNothingIsHandled() {
        List<ControllerEvent> events = warnedAndRestored().subList(0, 4);

        Interruption i = new Interruption(1, "i-old", POOL, T0, true, events);

        assertThat(i.handled()).isFalse();
        assertThat(i.line()).endsWith("warning +0.4 s → replacement not requested → restored not yet");
        assertThat(InterruptionFigures.workLost(i)).isEmpty();
    }

    @Test
    void eventsFromBeforeTheInterruption_doNotCount() {
        List<ControllerEvent> events = new ArrayList<>(List.of(
                at(-30, "i-old", Kind.AT_RISK, "an earlier warning"),
                at(-29, "i-other", Kind.LAUNCHED, "an earlier replacement"),
                at(-20, "i-other", Kind.RESTORED, "restored ckpt-00 (1 bytes in 0.1 s)")));

        Interruption i = new Interruption(1, "i-old", POOL, T0, true, events);

        assertThat(i.hit()).isEmpty();
        assertThat(i.replacement()).isEmpty();
        assertThat(i.handled()).isFalse();
    }

    @Test
    void aRestoreTheStoreShowsWithoutItsCheckpoint_saysTheWorkLostIsNotKnown() {
        List<ControllerEvent> events = new ArrayList<>(List.of(
                at(0.2, "i-old", Kind.AT_RISK, "interrupted (from the state store)"),
                at(0.5, "i-new", Kind.LAUNCHED, POOL + ", replacing i-old"),
                at(9.0, "i-new", Kind.RESTORED, "running (from the state store)")));

        Interruption i = new Interruption(1, "i-old", POOL, T0, true, events);

        assertThat(i.handled()).isTrue();
        assertThat(i.line()).endsWith("→ restored +9.0 s");
        assertThat(InterruptionFigures.workLost(i)).singleElement().asString().startsWith("work lost not known");
    }
}
