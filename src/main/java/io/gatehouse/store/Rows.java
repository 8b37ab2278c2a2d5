package io.gatehouse.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Column conversions shared by the SQL stores: instants as epoch milliseconds, name lists as space-separated text. */
final class Rows {

  private Rows() {
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value.toEpochMilli());
    }
  }

  static List<String> names(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(" "));
  }

  static String joinNames(List<String> names) {
    return String.join(" ", names);
  }
}
