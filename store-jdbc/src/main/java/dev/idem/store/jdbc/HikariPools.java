package dev.idem.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/** A HikariCP pool for {@code idem.store=jdbc}; loaded only when HikariCP is on the class path ({@link #PRESENT}). */
final class HikariPools {
    static final boolean PRESENT = present();

    private HikariPools() {
    }

    private static boolean present() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, HikariPools.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static DataSource create(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("idem-jdbc");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    /** Closes the data source if it is a HikariCP pool; safe to call without HikariCP on the class path. */
    static void closeIfHikari(DataSource dataSource) {
        if (PRESENT) {
            Closer.close(dataSource);
        }
    }

    /** Kept apart so that HikariCP's classes are resolved only when it is present. */
    private static final class Closer {
        static void close(DataSource dataSource) {
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.close();
            }
        }
    }
}
