package dev.spotkeeper.controller;

/** What one {@code runOnce} pass did: messages read and how they ended, launches and terminations. */
public record RunSummary(int messages, int handled, int duplicates, int malformed, int ignored, int failed,
                         int launched, int terminated) {
}
