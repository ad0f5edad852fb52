package io.supercharger.split;

/**
 * The outcome of {@link Splitter#pick}.
 *
 * @param poolIndex the pool's position in {@link SplitSnapshot#pools()}
 * @param pool the pool's name
 * @param bucket the client's bucket 0..9999, or -1 when the pick used none (override, round-robin)
 * @param reason why this pool
 */
public record SplitDecision(int poolIndex, String pool, int bucket, Reason reason) {

  public enum Reason {
    /** The override header named this pool. */
    OVERRIDE,
    /** The sticky key (cookie bucket, hashed header or address) fell in this pool's range. */
    STICKY,
    /** No sticky key applied: smooth weighted round-robin. */
    ROUND_ROBIN,
    /** Cookie mode without a valid cookie: round-robin chose the pool, {@link #bucket} is new. */
    NEW_ASSIGNMENT
  }

  /** Whether the caller must set the sticky cookie to {@link #bucket()}. */
  public boolean assignCookie() {
    return reason == Reason.NEW_ASSIGNMENT;
  }
}
