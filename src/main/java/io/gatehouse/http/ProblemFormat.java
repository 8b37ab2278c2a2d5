package io.gatehouse.http;

/**
 * How a route answers a {@link Problem} when RFC 9457 problem+json is not what its callers read:
 * a protocol's own error format (RFC 6749 §5.2 JSON at the OAuth endpoints) or a page a browser's
 * form shows again. Declared by a built-in endpoint; the problems themselves stay the one error
 * model, decided where they arise. Thread-safe.
 */
@FunctionalInterface
public interface ProblemFormat {

  /**
   * @param request the request refused, with its body when it was gathered before the refusal
   * @return the answer to {@code problem}, or null to answer it as problem+json
   */
  Response render(Problem problem, Request request);
}
