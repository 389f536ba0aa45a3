package dev.spotkeeper.spec.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.AgentSpecJson;
import dev.spotkeeper.core.workload.DatabaseSpec;
import dev.spotkeeper.core.workload.ServiceExtension;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecJson;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceSpecsTest {
    /** The example of docs/database.md. */
    private static final String APPDB = """
            name: appdb
            kind: service
            requirements: {vcpus: 2, memory: 8, regions: [ap-northeast-1]}
            database:
              engine: mariadb
              version: "10.11"
              schema: appdb
              init: schema.sql
              backup: {base: 6h, ship: 2s}
            relocation: {every: 12h, minGain: 0.15}
            buckets: {checkpoints: s3://ops/appdb}
            """;

    @Test
    void parse_theDocumentedServiceExample_intoTheServiceExtension() {
        WorkloadSpec s = YamlSpecs.parse("appdb.yaml", APPDB);

        assertThat(s.kind()).isEqualTo(WorkloadKind.SERVICE);
        assertThat(s.extension()).isEqualTo(new ServiceExtension(new DatabaseSpec(DatabaseSpec.Engine.MARIADB,
                "10.11", "appdb", "schema.sql", new DatabaseSpec.Backup(Duration.ofHours(6), Duration.ofSeconds(2)))));
        assertThat(s.relocation().every()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void parse_aServiceWithOnlyDatabaseEngine_takesTheDefaults() {
        WorkloadSpec s = YamlSpecs.parse("a.yaml", "name: app-db\nkind: service\ndatabase: {engine: mysql}\n");

        DatabaseSpec d = ((ServiceExtension) s.extension()).database();
        assertThat(d.engine()).isEqualTo(DatabaseSpec.Engine.MYSQL);
        assertThat(d.version()).isEqualTo("10.11");
        assertThat(d.schema()).isEqualTo("app_db");
        assertThat(d.init()).isEmpty();
        assertThat(d.backup()).isEqualTo(new DatabaseSpec.Backup(Duration.ofHours(6), Duration.ofSeconds(2)));
    }

    @Test
    void parse_aService_goesThroughTheCanonicalJsonAndTheAgentSpecUnchanged() {
        WorkloadSpec s = YamlSpecs.parse("appdb.yaml", APPDB);

        WorkloadSpec stored = WorkloadSpecJson.read("workload appdb", WorkloadSpecJson.write(s));
        AgentSpec agent = AgentSpecJson.read("s3://ops/appdb/appdb/agent-spec/1.json",
                AgentSpecJson.write(AgentSpec.of(stored, 1)));

        assertThat(stored).isEqualTo(s);
        assertThat(agent.kind()).isEqualTo(WorkloadKind.SERVICE);
        assertThat(agent.work()).isEqualTo(s.extension());
    }

    @Test
    void parse_allowFrom_namesTheDatabasesClients_andGoesThroughTheCanonicalJson() {
        WorkloadSpec s = YamlSpecs.parse("appdb.yaml", APPDB.replace("  init: schema.sql\n",
                "  init: schema.sql\n  allowFrom:\n    - sg-0123456789abcdef0\n    - 10.0.0.0/16\n"));

        assertThat(((ServiceExtension) s.extension()).database().allowFrom())
                .containsExactly("sg-0123456789abcdef0", "10.0.0.0/16");
        assertThat(WorkloadSpecJson.read("workload appdb", WorkloadSpecJson.write(s))).isEqualTo(s);
        assertThat(WorkloadSpecJson.write(YamlSpecs.parse("appdb.yaml", APPDB))).as("written only when given")
                .doesNotContain("allowFrom");
    }

    @Test
    void parse_aMalformedAllowFromSource_isRefusedAtItsLine() {
        String twoSources = APPDB.replace("  init: schema.sql\n",
                "  init: schema.sql\n  allowFrom:\n    - sg-0123456789abcdef0\n    - %s\n");
        assertRefused(twoSources.formatted("10.0.0.0/33"), 11, "database.allowFrom must name who may connect");
        assertRefused(twoSources.formatted("sg-12"), 11, "is neither a security group id");
        assertRefused(twoSources.formatted("300.0.0.0/8"), 11, "300 is above 255");
        assertRefused(twoSources.formatted("0.0.0.0/0"), 11, "admits the whole internet");
    }

    @Test
    void parse_unknownKeysAndBadValues_areRefusedWithFileLineAndFix() {
        assertRefused(APPDB.replace("  schema: appdb", "  schemas: appdb"), 7,
                "unknown key 'database.schemas' (did you mean schema?)");
        assertRefused(APPDB.replace("engine: mariadb", "engine: postgres"), 5,
                "database.engine must be one of mariadb, mysql; was 'postgres'");
        assertRefused(APPDB.replace("\"10.11\"", "latest"), 6, "database.version must be the server's major.minor");
        assertRefused(APPDB.replace("schema: appdb", "schema: app-db"), 7, "database.schema must start with a letter");
        assertRefused(APPDB.replace("init: schema.sql", "init: /etc/passwd"), 8,
                "database.init must be the path of a SQL file relative to the work directory");
        assertRefused(APPDB.replace("init: schema.sql", "init: ../up.sql"), 8, "database.init must be the path");
        assertRefused(APPDB.replace("ship: 2s", "ship: 7h"), 9,
                "database.backup.ship must be from 1s and shorter than backup.base");
        assertRefused(APPDB.replace("ship: 2s", "ship: 0s"), 9, "database.backup.ship must be from 1s");
        assertRefused(APPDB.replace("ship: 2s", "ship: soon"), 9, "database.backup.ship");
        assertRefused(APPDB.replace("base: 6h", "base: 30s"), 9, "database.backup.base must be at least 1m");
        assertRefused(APPDB.replace("{base: 6h, ship: 2s}", "{base: 6h, keep: 3}"), 9,
                "unknown key 'database.backup.keep'");
        assertRefused(APPDB + "run: mysqld\n", 12, "run is for kind: job; a service runs its database");
        assertRefused(APPDB + "checkpoint: {dir: x}\n", 12, "checkpoint is for kind: job");
        assertRefused("name: appdb\nkind: service\n", 1, "database is required for kind: service");
        assertRefused("name: train\nrun: t\ndatabase: {engine: mariadb}\n", 3, "database is for kind: service");
    }

    private static void assertRefused(String text, int line, String message) {
        assertThatThrownBy(() -> YamlSpecs.parse("appdb.yaml", text))
                .isInstanceOfSatisfying(SpotkeeperException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FILE))
                .hasMessageStartingWith("appdb.yaml:" + line + ": ")
                .hasMessageContaining(message);
    }
}
