package dev.spotkeeper.core.signals;

import java.util.List;

/** Spot Placement Scores (EC2 {@code GetSpotPlacementScores}). */
public interface PlacementScoreSource {
    /**
     * The scores AWS returned for the request; regions or AZs AWS did not score are simply absent (never
     * filled in).
     *
     * @throws dev.spotkeeper.core.SpotkeeperException when the call fails
     */
    List<PlacementScore> scores(PlacementScoreRequest request);
}
