package dev.spotkeeper.agent.report;

/** Where agent reports go: the controller's events queue in production. */
public interface ReportSink {
    /** Sends one report (an EventBridge envelope as JSON). */
    void send(String envelope);

    /** For runs without a queue: reports are only logged. */
    static ReportSink none() {
        return envelope -> {
        };
    }
}
