package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.Ec2Clients;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.signals.PlacementScore;
import dev.spotkeeper.core.signals.PlacementScoreRequest;
import dev.spotkeeper.core.signals.PlacementScoreSource;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.GetSpotPlacementScoresRequest;

/**
 * Spot Placement Scores from {@code GetSpotPlacementScores}. The call is global in effect (it takes a region
 * list), so it goes to the first requested region's endpoint. Scores come back per AZ id.
 */
public final class Ec2PlacementScoreSource implements PlacementScoreSource {
    static final String ACTION = "GetSpotPlacementScores";
    /** The API's page size is 10..1000; one page then holds every AZ of a few regions. */
    static final int PAGE_SIZE = 100;

    private final Ec2Clients clients;

    public Ec2PlacementScoreSource(Ec2Clients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    @Override
    public List<PlacementScore> scores(PlacementScoreRequest request) {
        String home = request.regions().get(0);
        GetSpotPlacementScoresRequest call = GetSpotPlacementScoresRequest.builder()
                .instanceTypes(request.instanceTypes())
                .targetCapacity(request.targetCapacity())
                .singleAvailabilityZone(request.singleAvailabilityZone())
                .regionNames(request.regions())
                .maxResults(PAGE_SIZE)
                .build();
        List<PlacementScore> scores = new ArrayList<>();
        try {
            for (var s : clients.forRegion(home).getSpotPlacementScoresPaginator(call).spotPlacementScores()) {
                if (s.score() != null && s.score() >= 1 && s.score() <= 10 && s.region() != null) {
                    scores.add(new PlacementScore(s.region(), s.availabilityZoneId() == null ? "" : s.availabilityZoneId(),
                            s.score()));
                }
            }
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, ACTION, clients.settings().ec2Endpoint(home));
        }
        return List.copyOf(scores);
    }
}
