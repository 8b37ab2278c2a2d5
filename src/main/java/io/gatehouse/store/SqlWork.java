package io.gatehouse.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work on one pooled connection, run on a worker thread by {@link Database}. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
