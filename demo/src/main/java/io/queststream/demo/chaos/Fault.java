package io.queststream.demo.chaos;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The chaos run's fault menu: what each fault does to the cluster or the app while turns flow. */
public enum Fault {
  KILL_READY("SIGKILL of a ready streams-app instance, restarted on its state directory after 0-3 s", false),
  KILL_RESTORING("SIGKILL of an instance while it restores its stores (restarted on an emptied state directory, "
      + "as on a replacement node, and killed as soon as /health/ready reports the restoration)", false),
  KILL_REBALANCING("SIGKILL of an instance while the group rebalances (another instance joining or leaving), "
      + "killed as soon as /health/ready reports REBALANCING", false),
  ZOMBIE("SIGSTOP of an instance past its session and transaction timeouts, then SIGCONT: the group and the "
      + "transaction coordinator have moved on and must fence it", false),
  SCALE_OUT_IN("scale 1 -> 3 -> 1 instances under load (graceful stops, new instances join)", false),
  LEADER_KILL("SIGKILL of the broker leading chat-turns partition 0, restarted after 5 s", true),
  CONTROLLER_KILL("SIGKILL of the active controller (a broker too), restarted after 5 s", true),
  ROLLING_RESTART("rolling restart: every broker in turn stopped (SIGTERM) and started, waiting for full "
      + "replication in between", true),
  BROKER_RESTART("the only broker stopped (SIGTERM) and started on its data directory", false),
  REGISTRY_OUTAGE("schema registry stopped, an instance SIGKILLed and restarted during the outage (its schema cache "
      + "empty), registry started again on its storage", false),
  DISK_FULL("the state directory of one instance (a small tmpfs) filled to the last byte, the instance SIGKILLed "
      + "and restarted on it, space freed after a while", false);

  private final String description;
  private final boolean needsQuorum;

  Fault(String description, boolean needsQuorum) {
    this.description = description;
    this.needsQuorum = needsQuorum;
  }

  /** The name on the command line and in the table, e.g. {@code leader-kill}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String description() {
    return description;
  }

  /** Needs the three-broker cluster. */
  public boolean needsQuorum() {
    return needsQuorum;
  }

  public static Fault parse(String tag) {
    for (Fault f : values()) {
      if (f.tag().equals(tag.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + tag + "'; one of " + Arrays.stream(values())
        .map(Fault::tag).collect(Collectors.joining(", ")));
  }
}
