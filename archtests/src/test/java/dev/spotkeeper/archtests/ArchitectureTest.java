package dev.spotkeeper.archtests;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.spotkeeper.archtests.Modules.forbiddenFor;
import static dev.spotkeeper.archtests.Modules.pkg;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The module layout (docs/adr/0005-module-layout.md) as rules over every module's production classes. Dependencies
 * point inward: every module may use {@code core}; adapters never use each other, with these stated exceptions:
 * {@code aws} and {@code agent} use {@code awsclient} (the one SDK client factory, error translation and S3 object
 * store), and {@code emulator} uses {@code sim} (its spot market replays real traces with the simulator's loaders).
 * {@code spec} (module {@code spec-yaml}) reads workload files into core's spec. {@code plane} builds a control plane
 * from configuration out of {@code aws}'s adapters and the {@code controller}, for the CLI and the serverless
 * handlers alike. {@code lambda} holds the serverless handlers over a plane's controller; {@code deploy} is the CDK
 * app, which names the handlers but uses none of their modules. {@code cli} wires everything; {@code bench} drives
 * the CLI's parts.
 */
@AnalyzeClasses(packages = "dev.spotkeeper", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String SDK = "software.amazon.awssdk..";

    @ArchTest
    static final ArchRule coreDependsOnTheJdkOnly = classes().that().resideInAPackage(pkg("core"))
            .should().onlyDependOnClassesThat().resideInAnyPackage(pkg("core"), "java..")
            .because("core is the domain: JDK only");

    @ArchTest
    static final ArchRule testkitUsesCoreOnly = noClasses().that().resideInAPackage(pkg("testkit"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("testkit", "core"));

    @ArchTest
    static final ArchRule simUsesCoreOnly = noClasses().that().resideInAPackage(pkg("sim"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("sim", "core"));

    @ArchTest
    static final ArchRule awsclientUsesCoreOnly = noClasses().that().resideInAPackage(pkg("awsclient"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("awsclient", "core"));

    @ArchTest
    static final ArchRule awsUsesCoreAndAwsclientOnly = noClasses().that().resideInAPackage(pkg("aws"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("aws", "core", "awsclient"));

    @ArchTest
    static final ArchRule agentUsesCoreAndAwsclientOnly = noClasses().that().resideInAPackage(pkg("agent"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("agent", "core", "awsclient"))
            .because("the agent runs on every instance: no emulator, no controller, no EC2 SDK");

    @ArchTest
    static final ArchRule emulatorUsesCoreAndSimOnly = noClasses().that().resideInAPackage(pkg("emulator"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("emulator", "core", "sim"));

    @ArchTest
    static final ArchRule controllerUsesCoreOnly = noClasses().that().resideInAPackage(pkg("controller"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("controller", "core"))
            .because("the controller decides through ports; the CLI (and later a Lambda handler) wires adapters in");

    @ArchTest
    static final ArchRule specUsesCoreOnly = noClasses().that().resideInAPackage(pkg("spec"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("spec", "core"))
            .because("workload files become core's spec, and nothing else");

    @ArchTest
    static final ArchRule planeUsesTheAdaptersAndTheControllerOnly = noClasses().that().resideInAPackage(pkg("plane"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("plane", "core", "awsclient", "aws",
                    "controller"))
            .because("a plane is built the same way for the CLI and for a function: no CLI, no emulator in it");

    @ArchTest
    static final ArchRule lambdaUsesThePlaneAndTheControllerOnly = noClasses().that().resideInAPackage(pkg("lambda"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("lambda", "core", "controller", "plane"))
            .because("a handler is a thin adapter over the controller: the rules are the controller's, the ports the plane's");

    @ArchTest
    static final ArchRule deployUsesCoreOnly = noClasses().that().resideInAPackage(pkg("deploy"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("deploy", "core"))
            .because("the stack describes the plane; it runs none of it");

    @ArchTest
    static final ArchRule nothingUsesTheCdk = noClasses().that().resideOutsideOfPackage(pkg("deploy"))
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awscdk..", "software.constructs..")
            .because("the function jar and the CLI's runtime carry no CDK");

    @ArchTest
    static final ArchRule notifyUsesCoreOnly = noClasses().that().resideInAPackage(pkg("notify"))
            .should().dependOnClassesThat().resideInAnyPackage(forbiddenFor("notify", "core"))
            .because("sinks read the outbox through core's store port; SNS goes through core's topic port");

    @ArchTest
    static final ArchRule nothingButTheBenchmarksUsesThem = noClasses().that().resideOutsideOfPackage(pkg("bench"))
            .should().dependOnClassesThat().resideInAPackage(pkg("bench"))
            .because("the benchmarks stay off the production class path");

    @ArchTest
    static final ArchRule noModuleUsesAnotherModulesInternals = classes().that().resideInAPackage("dev.spotkeeper..")
            .should(notUseInternalsOfOtherModules());

    @ArchTest
    static final ArchRule sdkTypesStayInTheAdapters = noClasses()
            .that().resideInAnyPackage(pkg("core"), pkg("testkit"), pkg("sim"), pkg("controller"), pkg("spec"),
                    pkg("plane"), pkg("lambda"), pkg("deploy"), pkg("notify"))
            .should().dependOnClassesThat().resideInAPackage(SDK)
            .because("only aws, awsclient and emulator (and the exceptions below) speak the AWS SDK");

    /** The agent's three doors to AWS: its clients, its main (which builds the stores) and its SQS report sink. */
    @ArchTest
    static final ArchRule agentUsesTheSdkOnlyAtItsEdges = noClasses().that().resideInAPackage(pkg("agent"))
            .and().doNotHaveFullyQualifiedName("dev.spotkeeper.agent.AgentClients")
            .and().doNotHaveFullyQualifiedName("dev.spotkeeper.agent.AgentMain")
            .and().doNotHaveFullyQualifiedName("dev.spotkeeper.agent.report.SqsReportSink")
            .should().dependOnClassesThat().resideInAPackage(SDK);

    /** The CLI wires credentials and profiles into the adapters' settings, and calls no service itself. */
    @ArchTest
    static final ArchRule cliUsesOnlyTheSdksCredentialTypes = noClasses().that().resideInAPackage(pkg("cli"))
            .should().dependOnClassesThat(resideInAPackage(SDK).and(not(resideInAnyPackage(
                    "software.amazon.awssdk.auth.credentials..", "software.amazon.awssdk.profiles.."))));

    static ArchCondition<JavaClass> notUseInternalsOfOtherModules() {
        return new ArchCondition<>("not use another module's internal packages") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = Modules.of(origin.getPackageName());
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    boolean internal = target.endsWith(".internal") || target.contains(".internal.");
                    if (internal && target.startsWith("dev.spotkeeper.") && !Modules.of(target).equals(own)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }
}
