package io.gatehouse.http;

/**
 * Who may call the admin API and how its changes are audited, declared once for every admin
 * endpoint of every capability (identity decides it: {@code identity.AdminAccess}).
 */
public interface AdminPolicy {

  /** An admin endpoint at {@code path}, guarded as the policy says. */
  Endpoint.Builder endpoint(String id, String path);

  /**
   * Audits a change with who made it, the path it named and what it changed.
   *
   * @param userId the account the change concerns, or null
   * @param what the change, as {@code name=value} words without secrets, or null
   */
  void changed(Request request, String event, String userId, String what);
}
