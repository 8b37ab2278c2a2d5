package io.gatehouse.identity;

import java.time.Instant;
import java.util.List;

/**
 * An account.
 *
 * @param username the name as chosen, NFKC-normalised
 * @param usernameKey the name as compared: NFKC and lower case, unique across accounts
 * @param passwordHash a PHC string ({@code $argon2id$…} or {@code $pbkdf2-sha256$…}), or null when password login is off
 */
public record User(String id, String username, String usernameKey, String email, List<String> roles,
    boolean disabled, String passwordHash, Instant createdAt, Instant updatedAt) {

  public User {
    roles = List.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
