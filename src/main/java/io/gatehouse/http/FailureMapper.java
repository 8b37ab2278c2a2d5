package io.gatehouse.http;

/**
 * Maps a capability's or a store's own exception to the problem a caller sees, registered with
 * the {@link Pipeline} at the composition root: stages, guards and endpoints throw their own
 * exceptions, and the one renderer answers them (like Javalin's exception mapper or Armeria's
 * {@code ServerErrorHandler}). A failure no mapper knows is a bug: 500, logged.
 */
@FunctionalInterface
public interface FailureMapper {

  /** The problem {@code failure} is answered with, or null when this mapper does not know it. */
  ProblemException map(Throwable failure);
}
