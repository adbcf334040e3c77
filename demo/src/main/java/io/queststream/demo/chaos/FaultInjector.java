package io.queststream.demo.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Injects one fault of the menu and undoes it (restarts what it killed, frees what it filled), sending a marker
 * turn at the moment of injection. Faults aimed at a moment (a restoration, a rebalance) watch the victim's
 * /health/ready and strike as soon as it reports that moment; a miss is tried again, never turned into another
 * fault, and counted.
 */
final class FaultInjector {

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration WATCH_EVERY = Duration.ofMillis(20);
  private static final int AIMED_ATTEMPTS = 4;

  /** What an injection reports back before the run waits for its marker. */
  record Injection(long injectedAtMs, String marker, boolean aimed, boolean hit, int attempts, String note) {}

  private final ChaosSettings settings;
  private final LocalCluster cluster;
  private final InstancePool pool;
  private final TurnFeed feed;
  private final Random random;
  private final PrintStream out;

  FaultInjector(ChaosSettings settings, LocalCluster cluster, InstancePool pool, TurnFeed feed, Random random,
      PrintStream out) {
    this.settings = settings;
    this.cluster = cluster;
    this.pool = pool;
    this.feed = feed;
    this.random = random;
    this.out = out;
  }

  Injection inject(Fault fault) throws Exception {
    return switch (fault) {
      case KILL_READY -> killReady();
      case KILL_RESTORING -> killRestoring();
      case KILL_REBALANCING -> killRebalancing();
      case ZOMBIE -> zombie();
      case SCALE_OUT_IN -> scaleOutIn();
      case LEADER_KILL -> killBroker(cluster.leaderOf("chat-turns", 0), "leader of chat-turns-0");
      case CONTROLLER_KILL -> killBroker(cluster.activeController(), "active controller");
      case ROLLING_RESTART -> rollingRestart();
      case BROKER_RESTART -> brokerRestart();
      case REGISTRY_OUTAGE -> registryOutage();
      case DISK_FULL -> diskFull();
    };
  }

  private Injection killReady() throws Exception {
    ScoringInstance victim = pick();
    long at = System.currentTimeMillis();
    pool.kill(victim);
    String marker = feed.sendMarker();
    long downtime = random.nextInt(3_000);
    Thread.sleep(downtime);
    pool.start(victim);
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, false, false, 1, "kill -9 " + victim.name() + ", restarted after " + downtime
        + " ms");
  }

  /**
   * SIGKILL, the state directory emptied (a replacement node), a restart; then SIGKILL again within milliseconds of
   * the instance logging that it restores a store. The kill hit when the log shows a restoration started and not
   * finished.
   */
  private Injection killRestoring() throws Exception {
    ScoringInstance victim = pick();
    long at = System.currentTimeMillis();
    String marker = null;
    LogFollower log = new LogFollower(victim.log());
    for (int attempt = 1; attempt <= AIMED_ATTEMPTS; attempt++) {
      pool.kill(victim);
      if (marker == null) {
        marker = feed.sendMarker();
      }
      emptyDirectory(victim.stateDir());
      log.skipToEnd();
      pool.start(victim);
      Optional<String> restoring = log.await(l -> l.contains("Restoring store"), READY_TIMEOUT, victim::isAlive);
      if (restoring.isPresent()) {
        pool.kill(victim);
        List<String> unfinished = unfinishedRestorations(log.linesSinceMark());
        if (!unfinished.isEmpty()) {
          Thread.sleep(random.nextInt(1_000));
          pool.start(victim);
          pool.awaitAllReady(READY_TIMEOUT);
          return new Injection(at, marker, true, true, attempt, "kill -9 " + victim.name() + " while it restored "
              + String.join(", ", unfinished));
        }
      }
      out.println("chaos: " + victim.name() + " was not restoring when killed; trying again");
    }
    pool.start(victim);
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, true, false, AIMED_ATTEMPTS, victim.name() + " never killed while restoring");
  }

  /** Store partitions whose restoration the log shows started and not finished. */
  private static List<String> unfinishedRestorations(List<String> lines) {
    java.util.Set<String> open = new java.util.LinkedHashSet<>();
    for (String line : lines) {
      int at = line.indexOf("Restoring store ");
      if (at >= 0) {
        open.add(storePartition(line.substring(at + "Restoring store ".length())));
      }
      at = line.indexOf("Restored store ");
      if (at >= 0) {
        open.remove(storePartition(line.substring(at + "Restored store ".length())));
      }
    }
    return List.copyOf(open);
  }

  /** "{store} from {partition} ..." to "{store} from {partition}". */
  private static String storePartition(String rest) {
    String[] words = rest.split(" ");
    return words.length >= 3 ? words[0] + " " + words[1] + " " + words[2].replace(":", "") : rest;
  }

  /**
   * An extra instance joins, so that the group rebalances and the victim hands tasks over to it; the victim is
   * SIGKILLed within milliseconds of logging that it rebalances. The kill hit when the last state the victim logged is
   * REBALANCING. A miss is tried again on the next membership change: the extra leaving (the victim takes its tasks
   * back), then joining again, and so on.
   */
  private Injection killRebalancing() throws Exception {
    ScoringInstance victim = pick();
    long at = System.currentTimeMillis();
    String marker = feed.sendMarker();
    LogFollower log = new LogFollower(victim.log());
    ScoringInstance extra = null;
    try {
      for (int attempt = 1; attempt <= AIMED_ATTEMPTS; attempt++) {
        log.skipToEnd();
        boolean leaving = extra != null && pool.running().contains(extra);
        if (extra == null) {
          extra = pool.add();
        } else if (leaving) {
          pool.stop(extra);
        } else {
          pool.start(extra);
        }
        Optional<String> seen = log.await(l -> l.contains("Kafka Streams state RUNNING -> REBALANCING"),
            READY_TIMEOUT, victim::isAlive);
        if (seen.isPresent()) {
          pool.kill(victim);
          String last = lastState(log.linesSinceMark());
          if (last.endsWith("-> REBALANCING")) {
            Thread.sleep(random.nextInt(1_000));
            pool.start(victim);
            pool.awaitAllReady(READY_TIMEOUT);
            return new Injection(at, marker, true, true, attempt, "kill -9 " + victim.name() + " while "
                + extra.name() + (leaving ? " left" : " joined") + "; its last state: " + last);
          }
          pool.start(victim);
        }
        pool.awaitAllReady(READY_TIMEOUT);
        out.println("chaos: " + victim.name() + " was not rebalancing when killed; trying again");
      }
      return new Injection(at, marker, true, false, AIMED_ATTEMPTS, victim.name() + " never killed while "
          + "rebalancing");
    } finally {
      if (extra != null && pool.running().contains(extra)) {
        pool.stop(extra);
        pool.awaitAllReady(READY_TIMEOUT);
      }
    }
  }

  /** The last "Kafka Streams state A -> B" line, from its arrow on, or "" when there is none. */
  private static String lastState(List<String> lines) {
    String last = "";
    for (String line : lines) {
      int at = line.indexOf("Kafka Streams state ");
      if (at >= 0) {
        last = line.substring(at + "Kafka Streams state ".length());
      }
    }
    return last;
  }

  /**
   * SIGSTOP until the group coordinator has dropped the member (its session timed out; the transaction timeout is as
   * long) and at least the configured pause, then SIGCONT: the zombie comes back to a group and a transaction
   * coordinator that have moved on, and must rejoin instead of committing anything.
   */
  private Injection zombie() throws Exception {
    ScoringInstance victim = pick();
    long at = System.currentTimeMillis();
    pool.pause(victim);
    String marker = feed.sendMarker();
    Optional<Long> droppedAfter = awaitMembership(victim, false, Duration.ofMinutes(1));
    long left = at + settings.zombiePause().toMillis() - System.currentTimeMillis();
    if (left > 0) {
      Thread.sleep(left);
    }
    long pausedMs = System.currentTimeMillis() - at;
    pool.resume(victim);
    Optional<Long> rejoinedAfter = awaitMembership(victim, true, READY_TIMEOUT);
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, true, droppedAfter.isPresent() && rejoinedAfter.isPresent(), 1, "SIGSTOP "
        + victim.name() + " for " + pausedMs / 1000 + " s; " + droppedAfter.map(ms -> "the coordinator dropped it "
            + "after " + ms / 1000 + " s").orElse("the coordinator NEVER dropped it") + "; "
        + rejoinedAfter.map(ms -> "it rejoined " + ms / 1000 + " s after SIGCONT").orElse("it NEVER rejoined"));
  }

  /** Waits until the instance is (or is no longer) a member of the app's group; how long that took. */
  private Optional<Long> awaitMembership(ScoringInstance instance, boolean member, Duration timeout)
      throws InterruptedException {
    long start = System.currentTimeMillis();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        boolean present = cluster.groupMembers(ChaosRun.APPLICATION_ID).stream()
            .anyMatch(id -> id.startsWith(instance.name() + "-"));
        if (present == member) {
          return Optional.of(System.currentTimeMillis() - start);
        }
      } catch (java.util.concurrent.ExecutionException e) {
        // The coordinator is moving; ask again.
      }
      Thread.sleep(500);
    }
    return Optional.empty();
  }

  /** From the running count down to 1, up to 3, down to 1 and back, every step under load. */
  private Injection scaleOutIn() throws Exception {
    List<ScoringInstance> before = pool.running();
    long at = System.currentTimeMillis();
    String marker = feed.sendMarker();
    List<String> steps = new ArrayList<>();
    scaleTo(1, steps);
    scaleTo(3, steps);
    scaleTo(1, steps);
    scaleTo(before.size(), steps);
    return new Injection(at, marker, false, false, 1, String.join(" -> ", steps));
  }

  private void scaleTo(int count, List<String> steps) throws Exception {
    List<ScoringInstance> running = pool.running();
    for (int i = running.size() - 1; i >= count; i--) {
      pool.stop(running.get(i));
    }
    for (ScoringInstance stopped : pool.all()) {
      if (pool.running().size() >= count) {
        break;
      }
      if (!pool.running().contains(stopped)) {
        pool.start(stopped);
      }
    }
    while (pool.running().size() < count) {
      pool.add();
    }
    pool.awaitAllReady(READY_TIMEOUT);
    steps.add(Integer.toString(count));
  }

  private Injection killBroker(int node, String role) throws Exception {
    long at = System.currentTimeMillis();
    cluster.killBroker(node);
    String marker = feed.sendMarker();
    Thread.sleep(5_000);
    cluster.startBroker(node);
    cluster.awaitFullyReplicated(READY_TIMEOUT);
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, false, false, 1, "kill -9 broker " + node + " (" + role + "), restarted after "
        + "5 s, fully replicated again");
  }

  private Injection rollingRestart() throws Exception {
    long at = System.currentTimeMillis();
    String marker = null;
    for (int node = 1; node <= cluster.brokerCount(); node++) {
      cluster.stopBroker(node);
      if (marker == null) {
        marker = feed.sendMarker();
      }
      cluster.startBroker(node);
      cluster.awaitFullyReplicated(READY_TIMEOUT);
    }
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, false, false, 1, "brokers 1.." + cluster.brokerCount()
        + " stopped and started in turn");
  }

  private Injection brokerRestart() throws Exception {
    long at = System.currentTimeMillis();
    String marker = feed.sendMarker();
    Duration took = cluster.restartBroker();
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, false, false, 1, "broker stopped and started in " + took.toMillis() + " ms");
  }

  /**
   * The registry stops; an instance is SIGKILLed and started during the outage, so that it starts with nothing
   * cached and must wait for the registry; the registry comes back on its storage.
   */
  private Injection registryOutage() throws Exception {
    ScoringInstance victim = pick();
    long at = System.currentTimeMillis();
    cluster.stopRegistry();
    String marker = feed.sendMarker();
    pool.kill(victim);
    pool.start(victim);
    // The outage lasts its planned length and at least until the restarted instance, which loads its model first,
    // has reached the registry: the aimed moment does not depend on how fast this machine starts a JVM.
    // It may report ready before its first record needs a schema, so a ready answer does not end the watch here.
    Optional<String> waiting = watch(victim, body -> body.contains("waiting for the schema registry"),
        READY_TIMEOUT, false);
    long left = at + settings.registryOutage().toMillis() - System.currentTimeMillis();
    if (left > 0) {
      Thread.sleep(left);
    }
    long outage = System.currentTimeMillis() - at;
    cluster.startRegistry();
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, true, waiting.isPresent(), 1, "registry stopped for "
        + Math.round(outage / 1000.0) + " s; " + victim.name() + " restarted during the outage "
        + waiting.map(b -> "and reported: " + reason(b, "waiting for the schema registry"))
            .orElse("but never reported waiting for the registry"));
  }

  /**
   * The instance whose state directory is a small file system: the file system filled to the last byte, the
   * instance SIGKILLed and started on it; it must report the full disk (and keep running) until space is freed.
   */
  private Injection diskFull() throws Exception {
    ScoringInstance victim = pool.running().stream().filter(i -> pool.smallStateDir(i).isPresent()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no running instance has a small state directory"));
    SmallFileSystem disk = pool.smallStateDir(victim).orElseThrow();
    long at = System.currentTimeMillis();
    long ballast = disk.fill();
    String marker = feed.sendMarker();
    pool.kill(victim);
    pool.start(victim);
    Optional<String> loud = watch(victim, body -> body.contains("state-directory failing"), READY_TIMEOUT);
    Thread.sleep(10_000);
    pool.checkForUnplannedExits();
    disk.free();
    pool.awaitAllReady(READY_TIMEOUT);
    return new Injection(at, marker, true, loud.isPresent(), 1, "state directory of " + victim.name() + " filled ("
        + ballast / (1024 * 1024) + " MiB of ballast), instance restarted on it; " + loud.map(b -> "it reported: "
            + reason(b, "state-directory failing")).orElse("it never reported the full disk"));
  }

  /**
   * Polls /health/ready until its body matches, the instance is ready (200), or the timeout passes; returns the
   * matching body.
   */
  private static Optional<String> watch(ScoringInstance instance, java.util.function.Predicate<String> matches,
      Duration timeout) throws InterruptedException {
    return watch(instance, matches, timeout, true);
  }

  /** As above; {@code untilReady} false keeps watching past a ready answer, until the body matches or time is up. */
  private static Optional<String> watch(ScoringInstance instance, java.util.function.Predicate<String> matches,
      Duration timeout, boolean untilReady) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && instance.isAlive()) {
      Optional<String> answer = instance.readiness();
      if (answer.isPresent() && matches.test(answer.get())) {
        return answer;
      }
      if (untilReady && answer.isPresent() && answer.get().startsWith("200 ")) {
        return Optional.empty();
      }
      Thread.sleep(WATCH_EVERY.toMillis());
    }
    return Optional.empty();
  }

  private ScoringInstance pick() {
    List<ScoringInstance> running = pool.running();
    return running.get(random.nextInt(running.size()));
  }

  /** The readiness reason that mentions {@code key}, from a /health/ready body. */
  private static String reason(String body, String key) {
    int at = body.indexOf(key);
    if (at < 0) {
      return trim(body);
    }
    int end = body.indexOf('"', at);
    return trim(body.substring(at, end < 0 ? body.length() : end));
  }

  private static String trim(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }


  private static void emptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
