package io.gatehouse.config;

/** The syntax of an RFC 6749 §3.3 scope token, shared by the config loader and the OAuth server. */
public final class ScopeToken {

  private ScopeToken() {
  }

  /** {@code %x21 / %x23-5B / %x5D-7E}, 1-128 of them: printable ASCII without space, {@code "} or {@code \}. */
  public static boolean isValid(String text) {
    if (text == null || text.isEmpty() || text.length() > 128) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
