package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.Region;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

class Ec2CatalogTest {
    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 256);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void describeRegions_listsTheMarketsRegions() {
        assertThat(f.ec2.describeRegions().regions()).extracting(Region::regionName)
                .contains("us-east-1", "us-west-2", "eu-west-1").hasSize(17);
        assertThat(f.ec2.describeRegions(r -> r.regionNames("eu-west-1")).regions())
                .singleElement().satisfies(r -> assertThat(r.endpoint()).isEqualTo("ec2.eu-west-1.amazonaws.com"));
    }

    @Test
    void describeAvailabilityZones_mapsIdsToNamesInOrder() {
        var zones = f.ec2.describeAvailabilityZones().availabilityZones();

        assertThat(zones).extracting(AvailabilityZone::zoneName)
                .containsExactly("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f");
        assertThat(zones).extracting(AvailabilityZone::zoneId)
                .containsExactly("use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6");
        assertThat(f.ec2.describeAvailabilityZones(r -> r.zoneIds("use1-az4")).availabilityZones())
                .singleElement().extracting(AvailabilityZone::zoneName).isEqualTo("us-east-1d");
    }

    @Test
    void describeInstanceTypes_givesWhatPlacementNeeds() {
        DescribeInstanceTypesResponse r = f.ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings(
                "p3.2xlarge", "m6g.large"));

        InstanceTypeInfo p3 = r.instanceTypes().stream().filter(t -> t.instanceTypeAsString().equals("p3.2xlarge"))
                .findFirst().orElseThrow();
        assertThat(p3.vCpuInfo().defaultVCpus()).isEqualTo(8);
        assertThat(p3.memoryInfo().sizeInMiB()).isEqualTo(62_464L);
        assertThat(p3.gpuInfo().gpus()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("V100");
            assertThat(g.count()).isEqualTo(1);
        });
        assertThat(p3.processorInfo().supportedArchitecturesAsStrings()).containsExactly("x86_64");
        InstanceTypeInfo arm = r.instanceTypes().stream().filter(t -> t.instanceTypeAsString().equals("m6g.large"))
                .findFirst().orElseThrow();
        assertThat(arm.processorInfo().supportedArchitecturesAsStrings()).containsExactly("arm64");
        assertThat(arm.gpuInfo()).isNull();
    }

    @Test
    void describeInstanceTypes_pagesThroughTheCatalog() {
        var first = f.ec2.describeInstanceTypes(b -> b.maxResults(50));
        assertThat(first.instanceTypes()).hasSize(50);
        assertThat(first.nextToken()).isNotNull();
        var all = f.ec2.describeInstanceTypesPaginator(b -> b.maxResults(100)).instanceTypes().stream().count();
        assertThat(all).isGreaterThan(900);
    }

    @Test
    void describeImages_listsAFewImagesByArchitecture() {
        var arm = f.ec2.describeImages(b -> b.filters(Filter.builder().name("architecture").values("arm64").build()));
        assertThat(arm.images()).isNotEmpty().allSatisfy(i -> assertThat(i.architectureAsString()).isEqualTo("arm64"));
        assertThat(f.ec2.describeImages().images()).hasSizeGreaterThan(arm.images().size());
    }

    @Test
    void describeImages_byOwner_returnsOnlyThatOwnersImages_asAwsDoes() {
        var amazon = f.ec2.describeImages(b -> b.owners("amazon")).images();
        var canonical = f.ec2.describeImages(b -> b.owners("099720109477")).images();

        assertThat(amazon).isNotEmpty().allMatch(i -> "amazon".equals(i.imageOwnerAlias()))
                .noneMatch(i -> i.name().startsWith("ubuntu/"));
        assertThat(canonical).isNotEmpty().allMatch(i -> i.ownerId().equals("099720109477"));
        assertThat(f.ec2.describeImages(b -> b.owners("self")).images()).isEmpty();
        assertThat(f.ec2.describeImages(b -> b.owners("amazon", "099720109477")).images())
                .hasSize(amazon.size() + canonical.size());
        assertThat(f.ec2.describeImages(b -> b.filters(Filter.builder().name("owner-alias").values("amazon").build()))
                .images()).hasSize(amazon.size());
        assertThat(f.ec2.describeImages(b -> b.filters(Filter.builder().name("owner-id").values("099720109477").build()))
                .images()).hasSize(canonical.size());
    }

    @Test
    void launchTemplates_areCreatedDescribedAndDeleted() {
        CreateLaunchTemplateResponse created = f.ec2.createLaunchTemplate(b -> b.launchTemplateName("catalog-lt")
                .launchTemplateData(d -> d.imageId("ami-0e5f0a1b2c3d40001").instanceType("m5.large")
                        .metadataOptions(m -> m.httpTokens("required")))
                .tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE)
                        .tags(Tag.builder().key("team").value("ml").build())));

        String id = created.launchTemplate().launchTemplateId();
        assertThat(id).startsWith("lt-");
        assertThat(created.launchTemplate().latestVersionNumber()).isEqualTo(1L);
        var described = f.ec2.describeLaunchTemplates(b -> b.launchTemplateNames("catalog-lt")).launchTemplates();
        assertThat(described).singleElement().satisfies(t -> {
            assertThat(t.launchTemplateId()).isEqualTo(id);
            assertThat(t.tags()).extracting(Tag::value).containsExactly("ml");
        });

        f.ec2.deleteLaunchTemplate(b -> b.launchTemplateId(id));

        assertThat(f.ec2.describeLaunchTemplates().launchTemplates())
                .noneMatch(t -> t.launchTemplateId().equals(id));
    }
}
