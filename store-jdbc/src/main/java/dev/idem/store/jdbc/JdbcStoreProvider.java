package dev.idem.store.jdbc;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.IdempotencyStoreProvider;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Lets an application choose the JDBC store without code, by settings (system properties or
 * {@code idem.properties}):
 *
 * <pre>
 * idem.store=jdbc
 * idem.jdbc.url=jdbc:postgresql://db:5432/app      (required; the driver must be on the class path)
 * idem.jdbc.user=app
 * idem.jdbc.password=secret
 * idem.jdbc.table=idem_records                     (optional)
 * idem.jdbc.mode=standalone                        (optional: standalone or transactional)
 * idem.jdbc.createSchema=false                     (optional: true creates the table at start-up)
 * idem.jdbc.poolSize=10                            (optional: the HikariCP pool's size)
 * </pre>
 *
 * <p>The store gets a HikariCP pool when HikariCP is on the class path, else a data source that opens a connection
 * per operation ({@code DriverManager}); the store closes it when it closes. Its priority is below the Caffeine
 * store's, so the JDBC store is used only when {@code idem.store=jdbc} selects it.
 */
public final class JdbcStoreProvider implements IdempotencyStoreProvider {
    /** The setting that gives the JDBC URL. */
    public static final String URL_SETTING = "idem.jdbc.url";
    /** The setting that gives the database user. */
    public static final String USER_SETTING = "idem.jdbc.user";
    /** The setting that gives the database password. */
    public static final String PASSWORD_SETTING = "idem.jdbc.password";
    /** The setting that names the record table. */
    public static final String TABLE_SETTING = "idem.jdbc.table";
    /** The setting that chooses the mode: {@code standalone} or {@code transactional}. */
    public static final String MODE_SETTING = "idem.jdbc.mode";
    /** The setting that creates the table at start-up: {@code true} or {@code false}. */
    public static final String CREATE_SCHEMA_SETTING = "idem.jdbc.createSchema";
    /** The setting that sizes the HikariCP pool. */
    public static final String POOL_SIZE_SETTING = "idem.jdbc.poolSize";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JdbcStoreProvider() {
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public int priority() {
        return -10;
    }

    @Override
    public IdempotencyStore create() {
        return create(Map.of());
    }

    @Override
    public IdempotencyStore create(Map<String, String> settings) {
        String url = settings.get(URL_SETTING);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the JDBC store needs " + URL_SETTING
                    + " (for example jdbc:postgresql://host:5432/db), and usually " + USER_SETTING + " and "
                    + PASSWORD_SETTING);
        }
        JdbcIdempotencyStore.Mode mode = switch (settings.getOrDefault(MODE_SETTING, "standalone")
                .trim().toLowerCase(Locale.ROOT)) {
            case "standalone" -> JdbcIdempotencyStore.Mode.STANDALONE;
            case "transactional" -> JdbcIdempotencyStore.Mode.TRANSACTIONAL;
            default -> throw new IllegalArgumentException(MODE_SETTING + " must be standalone or transactional, got "
                    + settings.get(MODE_SETTING));
        };
        String create = settings.getOrDefault(CREATE_SCHEMA_SETTING, "false").trim();
        if (!create.equalsIgnoreCase("true") && !create.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(CREATE_SCHEMA_SETTING + " must be true or false, got " + create);
        }
        int poolSize;
        try {
            poolSize = Integer.parseInt(settings.getOrDefault(POOL_SIZE_SETTING, "10").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(POOL_SIZE_SETTING + " must be a number, got "
                    + settings.get(POOL_SIZE_SETTING), e);
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException(POOL_SIZE_SETTING + " must be at least 2, got " + poolSize);
        }
        String user = settings.get(USER_SETTING);
        String password = settings.get(PASSWORD_SETTING);
        DataSource dataSource = HikariPools.PRESENT ? HikariPools.create(url, user, password, poolSize)
                : new DriverManagerDataSource(url, user, password);
        try {
            JdbcIdempotencyStore.Builder builder = JdbcIdempotencyStore.builder(dataSource)
                    .mode(mode)
                    .createSchema(Boolean.parseBoolean(create))
                    // one connection for the listener, one spare for the application's own use of the pool
                    .threads(Math.max(1, Math.min(JdbcIdempotencyStore.DEFAULT_THREADS, poolSize - 2)));
            String table = settings.get(TABLE_SETTING);
            if (table != null) {
                builder.table(table.trim());
            }
            return builder.closeDataSourceWith(() -> HikariPools.closeIfHikari(dataSource)).build();
        } catch (RuntimeException e) {
            HikariPools.closeIfHikari(dataSource);
            throw e;
        }
    }
}
