package dev.spotkeeper.core.signals;

import dev.spotkeeper.core.market.io.SpotAdvisorFeed;

/** The Spot Instance Advisor feed: interruption band and savings per region and type. */
public interface AdvisorSource {
    /** @throws dev.spotkeeper.core.SpotkeeperException when the feed cannot be fetched or read */
    SpotAdvisorFeed fetch();

    /** Where the feed comes from, for reports (a URL or a file). */
    String location();
}
