package dev.spotkeeper.archtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.spotkeeper.controller.archfixture.RuleBreaker;
import org.junit.jupiter.api.Test;

/** The rules report a class that breaks them: they are not vacuous. */
class RulesBiteTest {
    private final JavaClasses breaker = new ClassFileImporter().importClasses(RuleBreaker.class);

    @Test
    void aControllerClassUsingAnAdapter_itsInternals_andTheSdk_breaksEachRule() {
        EvaluationResult layering = ArchitectureTest.controllerUsesCoreOnly.evaluate(breaker);
        EvaluationResult internals = ArchitectureTest.noModuleUsesAnotherModulesInternals.evaluate(breaker);
        EvaluationResult sdk = ArchitectureTest.sdkTypesStayInTheAdapters.evaluate(breaker);

        assertThat(layering.hasViolation()).isTrue();
        assertThat(layering.getFailureReport().getDetails()).anyMatch(d -> d.contains("dev.spotkeeper.aws.AwsPorts"));
        assertThat(internals.hasViolation()).isTrue();
        assertThat(internals.getFailureReport().getDetails()).allMatch(d -> d.contains("dev.spotkeeper.aws.internal.S3Buckets"));
        assertThat(sdk.hasViolation()).isTrue();
        assertThat(sdk.getFailureReport().getDetails()).anyMatch(d -> d.contains("software.amazon.awssdk.services.s3.S3Client"));
    }

    @Test
    void moduleOfAPackage_isItsFirstSegmentBelowDevSpotkeeper() {
        assertThat(Modules.of("dev.spotkeeper.aws.internal")).isEqualTo("aws");
        assertThat(Modules.of("dev.spotkeeper.awsclient")).isEqualTo("awsclient");
        assertThat(Modules.of("dev.spotkeeper.core")).isEqualTo("core");
        assertThat(Modules.of("software.amazon.awssdk.core")).isEmpty();
    }
}
