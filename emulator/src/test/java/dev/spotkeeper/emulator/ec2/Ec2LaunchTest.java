package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.emulator.market.PoolView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.SpotPlacementScore;
import software.amazon.awssdk.services.ec2.model.Tag;

class Ec2LaunchTest {
    static final String AMI = "ami-0e5f0a1b2c3d40001";
    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 512);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private Instance describe(String id) {
        return f.ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private void awaitState(String id, InstanceStateName state) {
        await().atMost(Duration.ofSeconds(15)).until(() -> describe(id).state().name() == state);
    }

    @Test
    void runInstances_onDemand_isPendingThenRunningAndFoundByTag() {
        RunInstancesResponse r = f.ec2.runInstances(b -> b.imageId(AMI).instanceType("m5.large").minCount(1)
                .maxCount(1).tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("workload").value("od-test").build())));

        Instance launched = r.instances().get(0);
        assertThat(launched.state().name()).isEqualTo(InstanceStateName.PENDING);
        assertThat(launched.instanceLifecycle()).isNull();
        assertThat(launched.placement().availabilityZone()).startsWith("us-east-1");
        awaitState(launched.instanceId(), InstanceStateName.RUNNING);
        var found = f.ec2.describeInstances(b -> b.filters(
                Filter.builder().name("tag:workload").values("od-test").build(),
                Filter.builder().name("instance-state-name").values("running").build()));
        assertThat(found.reservations()).flatExtracting(res -> res.instances()).extracting(Instance::instanceId)
                .containsExactly(launched.instanceId());
        assertThat(f.eventTypes(launched.instanceId())).containsExactly(
                "EC2 Instance State-change Notification:pending", "EC2 Instance State-change Notification:running");
    }

    @Test
    void runInstances_spotWithMaxPrice_createsAFulfilledSpotRequest() {
        Instance i = f.ec2.runInstances(b -> b.imageId(AMI).instanceType("c5.large").minCount(1).maxCount(1)
                .placement(p -> p.availabilityZone("us-east-1b"))
                .tagSpecifications(t -> t.resourceType(ResourceType.SPOT_INSTANCES_REQUEST)
                        .tags(Tag.builder().key("job").value("spot-test").build()))
                .instanceMarketOptions(m -> m.marketType("spot").spotOptions(s -> s.maxPrice("1.00"))))
                .instances().get(0);

        assertThat(i.instanceLifecycleAsString()).isEqualTo("spot");
        assertThat(i.placement().availabilityZone()).isEqualTo("us-east-1b");
        var request = f.ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(i.spotInstanceRequestId()))
                .spotInstanceRequests().get(0);
        assertThat(request.instanceId()).isEqualTo(i.instanceId());
        assertThat(request.stateAsString()).isEqualTo("active");
        assertThat(request.status().code()).isEqualTo("fulfilled");
        assertThat(request.spotPrice()).isEqualTo("1");
        assertThat(request.tags()).extracting(Tag::value).containsExactly("spot-test");

        var cancelled = f.ec2.cancelSpotInstanceRequests(b -> b.spotInstanceRequestIds(i.spotInstanceRequestId()));

        assertThat(cancelled.cancelledSpotInstanceRequests()).singleElement()
                .satisfies(c -> assertThat(c.stateAsString()).isEqualTo("cancelled"));
        assertThat(describe(i.instanceId()).state().name()).isIn(InstanceStateName.PENDING, InstanceStateName.RUNNING);
    }

    @Test
    void runInstances_fromLaunchTemplate_takesItsTypeAndMetadataOptions() {
        f.ec2.createLaunchTemplate(b -> b.launchTemplateName("launch-lt").launchTemplateData(d -> d.imageId(AMI)
                .instanceType("r5.large").metadataOptions(m -> m.httpTokens("required").instanceMetadataTags("enabled"))));

        Instance i = f.ec2.runInstances(b -> b.minCount(1).maxCount(1)
                .launchTemplate(lt -> lt.launchTemplateName("launch-lt").version("$Latest"))).instances().get(0);

        assertThat(i.instanceTypeAsString()).isEqualTo("r5.large");
        assertThat(i.metadataOptions().httpTokensAsString()).isEqualTo("required");
        assertThat(i.metadataOptions().instanceMetadataTagsAsString()).isEqualTo("enabled");
    }

    @Test
    void terminateInstances_endsTheInstanceAndPublishesEachState() {
        String id = f.ec2.runInstances(b -> b.imageId(AMI).instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        awaitState(id, InstanceStateName.RUNNING);

        var r = f.ec2.terminateInstances(b -> b.instanceIds(id));

        assertThat(r.terminatingInstances().get(0).previousState().name()).isEqualTo(InstanceStateName.RUNNING);
        awaitState(id, InstanceStateName.TERMINATED);
        assertThat(describe(id).stateReason().code()).isEqualTo("Client.UserInitiatedShutdown");
        assertThat(f.eventTypes(id)).endsWith("EC2 Instance State-change Notification:shutting-down",
                "EC2 Instance State-change Notification:terminated");
    }

    @Test
    void createAndDeleteTags_changeTheInstancesTags() {
        String id = f.ec2.runInstances(b -> b.imageId(AMI).instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();

        f.ec2.createTags(b -> b.resources(id).tags(Tag.builder().key("a").value("1").build(),
                Tag.builder().key("b").value("2").build()));
        f.ec2.deleteTags(b -> b.resources(id).tags(Tag.builder().key("a").build()));

        assertThat(describe(id).tags()).extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", "2"));
    }

    @Test
    void describeSpotPriceHistory_showsCurrentPricesAndLaterChanges() {
        Instant before = f.clock.instant();
        var now = f.ec2.describeSpotPriceHistory(b -> b.instanceTypesWithStrings("m5.xlarge")
                .productDescriptions("Linux/UNIX"));
        assertThat(now.spotPriceHistory()).isNotEmpty().allSatisfy(p -> {
            PoolView pool = f.emulator.market().pool("us-east-1", p.availabilityZone(), "m5.xlarge").orElseThrow();
            assertThat(Double.parseDouble(p.spotPrice())).isEqualTo(pool.spotPrice());
        });

        String zone = now.spotPriceHistory().get(0).availabilityZone();
        f.emulator.market().forcePrice("us-east-1", zone, "m5.xlarge", 0.1234);

        var history = f.ec2.describeSpotPriceHistory(b -> b.instanceTypesWithStrings("m5.xlarge")
                .availabilityZone(zone).startTime(before.minusSeconds(1)));
        assertThat(history.spotPriceHistory()).extracting(p -> p.spotPrice()).contains("0.1234");
        f.emulator.market().forcePrice("us-east-1", zone, "m5.xlarge", null);
    }

    @Test
    void getSpotPlacementScores_scoresZonesByIdAndDropsZonesWithoutCapacity() {
        List<String> types = List.of("m5.2xlarge", "c5.2xlarge", "r5.2xlarge");
        var scores = f.ec2.getSpotPlacementScores(b -> b.instanceTypes(types).targetCapacity(4)
                .singleAvailabilityZone(true).regionNames("us-east-1", "us-west-2")).spotPlacementScores();
        assertThat(scores).isNotEmpty().allSatisfy(s -> {
            assertThat(s.score()).isBetween(1, 10);
            assertThat(s.availabilityZoneId()).matches("(use1|usw2)-az\\d");
        });
        SpotPlacementScore top = scores.get(0);
        assertThat(top.score()).isGreaterThan(1);
        String zone = f.emulator.market().zones().find(top.availabilityZoneId()).orElseThrow().name();

        types.forEach(t -> f.emulator.market().forceCapacity(top.region(), zone, t, false));
        var after = f.ec2.getSpotPlacementScores(b -> b.instanceTypes(types).targetCapacity(4)
                .singleAvailabilityZone(true).regionNames(top.region()).maxResults(10)).spotPlacementScores();

        assertThat(after).filteredOn(s -> s.availabilityZoneId().equals(top.availabilityZoneId()))
                .singleElement().extracting(SpotPlacementScore::score).isEqualTo(1);
        types.forEach(t -> f.emulator.market().forceCapacity(top.region(), zone, t, null));
    }

    private static final List<String> FLEET_TYPES = List.of("m5.large", "c5.large", "r5.large");

    private CreateFleetResponse fleet(String strategy, int priorityFirst) {
        String lt = "fleet-" + strategy;
        if (f.ec2.describeLaunchTemplates().launchTemplates().stream().noneMatch(t -> t.launchTemplateName().equals(lt))) {
            f.ec2.createLaunchTemplate(b -> b.launchTemplateName(lt).launchTemplateData(d -> d.imageId(AMI)));
        }
        List<FleetLaunchTemplateOverridesRequest> overrides = new java.util.ArrayList<>();
        for (int i = 0; i < FLEET_TYPES.size(); i++) {
            double priority = (i + priorityFirst) % FLEET_TYPES.size();
            overrides.add(FleetLaunchTemplateOverridesRequest.builder().instanceType(FLEET_TYPES.get(i))
                    .priority(priority).build());
        }
        return f.ec2.createFleet(b -> b.type("instant")
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateName(lt).version("$Latest"))
                        .overrides(overrides))
                .targetCapacitySpecification(t -> t.totalTargetCapacity(1).defaultTargetCapacityType("spot"))
                .spotOptions(s -> s.allocationStrategy(strategy)));
    }

    private List<PoolView> fleetPools() {
        return f.emulator.market().pools("us-east-1").stream()
                .filter(p -> FLEET_TYPES.contains(p.type().name()) && p.available()).toList();
    }

    private PoolView chosen(CreateFleetResponse r) {
        assertThat(r.instances()).singleElement().satisfies(i -> assertThat(i.lifecycleAsString()).isEqualTo("spot"));
        Instance i = describe(r.instances().get(0).instanceIds().get(0));
        return f.emulator.market().pool("us-east-1", i.placement().availabilityZone(), i.instanceTypeAsString())
                .orElseThrow();
    }

    @Test
    void createFleet_lowestPrice_takesTheCheapestPool() {
        double cheapest = fleetPools().stream().mapToDouble(PoolView::spotPrice).min().orElseThrow();
        assertThat(chosen(fleet("lowest-price", 0)).spotPrice()).isEqualTo(cheapest);
    }

    @Test
    void createFleet_capacityOptimized_takesTheBestScoredPool() {
        int best = fleetPools().stream().mapToInt(PoolView::placementScore).max().orElseThrow();
        assertThat(chosen(fleet("capacity-optimized", 0)).placementScore()).isEqualTo(best);
    }

    @Test
    void createFleet_capacityOptimizedPrioritized_followsPriorities() {
        assertThat(chosen(fleet("capacity-optimized-prioritized", 1)).type().name()).isEqualTo("r5.large");
    }

    @Test
    void createFleet_priceCapacityOptimized_takesTheCheapestOfTheDeepPools() {
        int best = fleetPools().stream().mapToInt(PoolView::placementScore).max().orElseThrow();
        double cheapestDeep = fleetPools().stream().filter(p -> p.placementScore() >= best - 1)
                .mapToDouble(PoolView::spotPrice).min().orElseThrow();
        PoolView pool = chosen(fleet("price-capacity-optimized", 0));
        assertThat(pool.placementScore()).isGreaterThanOrEqualTo(best - 1);
        assertThat(pool.spotPrice()).isEqualTo(cheapestDeep);
    }

    @Test
    void createFleet_whenTheCheapestPoolHasNoCapacity_reportsItAndUsesTheNext() {
        PoolView cheapest = fleetPools().stream().min(Comparator.comparingDouble(PoolView::spotPrice)).orElseThrow();
        f.emulator.market().forceCapacity("us-east-1", cheapest.azName(), cheapest.type().name(), false);
        try {
            CreateFleetResponse r = fleet("lowest-price", 0);

            assertThat(r.errors()).anySatisfy(e -> {
                assertThat(e.errorCode()).isEqualTo("InsufficientInstanceCapacity");
                assertThat(e.launchTemplateAndOverrides().overrides().availabilityZone()).isEqualTo(cheapest.azName());
            });
            assertThat(chosen(r).key()).isNotEqualTo(cheapest.key());
        } finally {
            f.emulator.market().forceCapacity("us-east-1", cheapest.azName(), cheapest.type().name(), null);
        }
    }

    @Test
    void createFleet_acrossSubnets_launchesOnlyInThoseSubnetsZones() {
        var subnets = f.ec2.describeSubnets().subnets();
        var chosenSubnets = List.of(subnets.get(1), subnets.get(3));
        f.ec2.createLaunchTemplate(b -> b.launchTemplateName("fleet-subnets").launchTemplateData(d -> d.imageId(AMI)));
        List<FleetLaunchTemplateOverridesRequest> overrides = chosenSubnets.stream()
                .map(sn -> FleetLaunchTemplateOverridesRequest.builder().instanceType("c5.xlarge")
                        .subnetId(sn.subnetId()).build()).toList();

        CreateFleetResponse r = f.ec2.createFleet(b -> b.type("instant")
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateName("fleet-subnets"))
                        .overrides(overrides))
                .targetCapacitySpecification(t -> t.totalTargetCapacity(2).defaultTargetCapacityType("on-demand")));

        List<String> ids = r.instances().stream().flatMap(i -> i.instanceIds().stream()).toList();
        assertThat(ids).hasSize(2);
        assertThat(r.instances()).allSatisfy(i -> assertThat(i.lifecycleAsString()).isEqualTo("on-demand"));
        assertThat(ids).allSatisfy(id -> assertThat(describe(id).subnetId())
                .isIn(chosenSubnets.get(0).subnetId(), chosenSubnets.get(1).subnetId()));
    }
}
