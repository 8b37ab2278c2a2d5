package io.gatehouse.store;

import io.gatehouse.oauth.ClientIdTakenException;
import io.gatehouse.oauth.ClientStore;
import io.gatehouse.oauth.OAuthClient;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ClientStore} on SQL. */
public final class SqlClientStore implements ClientStore {

  private static final String COLUMNS = "client_id, secret_hash, grants, scopes, audiences, redirect_uris, first_party, "
      + "created_at, jwks, id_token_signed_response_alg";

  private final Database db;

  public SqlClientStore(Database db) {
    this.db = db;
  }

  @Override
  public Future<Void> insert(OAuthClient client) {
    return db.run("clients.insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO oauth_clients (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, client.clientId());
        s.setString(2, client.secretHash());
        s.setString(3, Rows.joinNames(client.grants()));
        s.setString(4, Rows.joinNames(client.scopes()));
        s.setString(5, Rows.joinNames(client.audiences()));
        s.setString(6, Rows.joinNames(client.redirectUris()));
        s.setInt(7, client.firstParty() ? 1 : 0);
        Rows.setInstant(s, 8, client.createdAt());
        s.setString(9, client.jwks());
        s.setString(10, client.idTokenSignedResponseAlg());
        s.executeUpdate();
        return null;
      } catch (SQLException e) {
        if (Database.isUniqueViolation(e)) {
          throw new ClientIdTakenException();
        }
        throw e;
      }
    });
  }

  @Override
  public Future<Optional<OAuthClient>> byId(String clientId) {
    return db.run("clients.byId", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM oauth_clients WHERE client_id = ?")) {
        s.setString(1, clientId);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(client(rs)) : Optional.<OAuthClient>empty();
        }
      }
    });
  }

  @Override
  public Future<List<OAuthClient>> list() {
    return db.run("clients.list", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM oauth_clients ORDER BY created_at, client_id");
          ResultSet rs = s.executeQuery()) {
        List<OAuthClient> clients = new ArrayList<>();
        while (rs.next()) {
          clients.add(client(rs));
        }
        return clients;
      }
    });
  }

  @Override
  public Future<Boolean> delete(String clientId) {
    return db.run("clients.delete", c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM oauth_clients WHERE client_id = ?")) {
        s.setString(1, clientId);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static OAuthClient client(ResultSet rs) throws SQLException {
    return new OAuthClient(rs.getString("client_id"), rs.getString("secret_hash"), Rows.names(rs, "grants"),
        Rows.names(rs, "scopes"), Rows.names(rs, "audiences"), Rows.names(rs, "redirect_uris"),
        rs.getInt("first_party") == 1, Rows.instant(rs, "created_at"), rs.getString("jwks"),
        rs.getString("id_token_signed_response_alg"));
  }
}
