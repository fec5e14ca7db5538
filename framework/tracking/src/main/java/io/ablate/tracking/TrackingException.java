package io.ablate.tracking;

/**
 * A tracking store refused or could not take a request.
 *
 * <p>{@link #retryable()} says whether sending the same request later may succeed (server away,
 * timeout, 5xx, 429) or never will (the request itself is bad: 4xx). The outbox retries the first
 * kind with backoff and sets the second kind aside with its reason.
 */
public final class TrackingException extends RuntimeException {
  private final boolean retryable;

  public TrackingException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public TrackingException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }

  /** The retry rule for an HTTP status code. */
  public static boolean retryableStatus(int status) {
    return status >= 500 || status == 429 || status == 408;
  }
}
