package dev.spotkeeper.controller;

/**
 * What one {@code runOnce} pass did with the messages it read, and how many steps failed (a failed step is
 * retried by the next pass; the journal says why).
 */
public record RunSummary(int messages, int handled, int duplicates, int malformed, int ignored, int failed) {
}
