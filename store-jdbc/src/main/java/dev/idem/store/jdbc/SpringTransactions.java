package dev.idem.store.jdbc;

import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The connection of the Spring-managed transaction on the calling thread. Loaded only when spring-jdbc and spring-tx
 * are on the class path ({@link #PRESENT}), so that applications without Spring need neither.
 */
final class SpringTransactions {
    /** Whether Spring's transaction support is on the class path. */
    static final boolean PRESENT = present("org.springframework.transaction.support.TransactionSynchronizationManager")
            && present("org.springframework.jdbc.datasource.ConnectionHolder");

    private SpringTransactions() {
    }

    private static boolean present(String name) {
        try {
            Class.forName(name, false, SpringTransactions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The connection of the actual transaction that Spring holds for this data source on the calling thread (a
     * {@code DataSourceTransactionManager} or {@code JdbcTransactionManager} over the same {@code DataSource} object,
     * or a JPA manager that exposes its connection), or null if there is none.
     */
    static Connection connection(DataSource dataSource) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return null;
        }
        Object resource = TransactionSynchronizationManager.getResource(dataSource);
        if (resource instanceof ConnectionHolder holder && holder.getConnectionHandle() != null) {
            return holder.getConnection();
        }
        return null;
    }

    /** Runs {@code action} when the current transaction ends; false if Spring synchronization is not active. */
    static boolean afterCompletion(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                action.run();
            }
        });
        return true;
    }
}
