package dev.rebound.support.messaging;

/**
 * Channel names used in code; each is bound to its topic (a constant of
 * {@link dev.rebound.model.Topics}) in configuration. Outgoing channels end in {@code -out},
 * incoming ones in {@code -in}, so one service can both publish and consume a topic.
 */
public final class Channels {

  public static final String HEARTBEATS_OUT = "heartbeats-out";
  public static final String HEARTBEATS_IN = "heartbeats-in";
  public static final String RESTORE_EVENTS_OUT = "restore-events-out";
  public static final String RESTORE_ITEMS_OUT = "restore-items-out";
  public static final String RESTORE_ITEMS_IN = "restore-items-in";
  public static final String RESTORE_CANCELS_OUT = "restore-cancels-out";
  public static final String RESTORE_ITEMS_DEAD_LETTER_OUT = "restore-items-dead-letter-out";

  private Channels() {}
}
