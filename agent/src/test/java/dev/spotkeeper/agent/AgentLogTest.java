package dev.spotkeeper.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class AgentLogTest {
    private static String format(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setInstant(Instant.parse("2026-12-03T10:00:00.734Z"));
        r.setParameters(params);
        return new AgentLog().format(r);
    }

    @Test
    void agentLines_arePlainLines_stampedInUtcSeconds() {
        assertThat(format(Level.INFO, "restored checkpoint={0} bytes={1}", "ckpt-0000000002-i-1", 12))
                .isEqualTo("2026-12-03T10:00:00Z agent: restored checkpoint=ckpt-0000000002-i-1 bytes=12\n");
    }

    @Test
    void warningsAndErrors_sayWhatTheyAre_onOneLine() {
        assertThat(format(Level.WARNING, "the job did not confirm\nits checkpoint"))
                .isEqualTo("2026-12-03T10:00:00Z agent: warning: the job did not confirm its checkpoint\n");
        assertThat(format(Level.SEVERE, "the agent cannot start: {0}", "no checkpoint location"))
                .isEqualTo("2026-12-03T10:00:00Z agent: error: the agent cannot start: no checkpoint location\n");
    }
}
