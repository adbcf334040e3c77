package io.queststream.demo.chaos;

import io.queststream.demo.process.AtOnce;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The streams-app instances of a chaos run and what the run meant each of them to be doing. An instance that is
 * meant to run but has exited is an unplanned exit: it is counted (a run with one fails) and started again, so that
 * the rest of the run still means something. Kills, graceful stops and pauses are planned.
 */
final class InstancePool implements AutoCloseable {

  private final String classpath;
  private final Path workDir;
  private final Path logs;
  private final List<String> settings;
  private final PrintStream out;
  private final List<ScoringInstance> instances = new CopyOnWriteArrayList<>();
  private final Set<ScoringInstance> meantToRun = ConcurrentHashMap.newKeySet();
  private final Set<ScoringInstance> paused = ConcurrentHashMap.newKeySet();
  private final Map<ScoringInstance, SmallFileSystem> smallStateDirs = new ConcurrentHashMap<>();
  private int unplannedExits;

  InstancePool(String classpath, Path workDir, Path logs, List<String> settings, PrintStream out) {
    this.classpath = classpath;
    this.workDir = workDir;
    this.logs = logs;
    this.settings = List.copyOf(settings);
    this.out = out;
  }

  /** A new instance (streams-app-N), started. */
  ScoringInstance add() throws IOException {
    return add(null);
  }

  /** A new instance whose state directory is a file system of {@code stateDirSize} (root only), started. */
  synchronized ScoringInstance add(String stateDirSize) throws IOException {
    String name = "streams-app-" + (instances.size() + 1);
    ScoringInstance instance = new ScoringInstance(name, classpath, workDir.resolve(name),
        logs.resolve(name + ".log"), settings);
    if (stateDirSize != null) {
      Files.createDirectories(instance.stateDir());
      smallStateDirs.put(instance, SmallFileSystem.mount(instance.stateDir(), stateDirSize));
    }
    instances.add(instance);
    start(instance);
    return instance;
  }

  synchronized void start(ScoringInstance instance) throws IOException {
    instance.start();
    meantToRun.add(instance);
  }

  synchronized void kill(ScoringInstance instance) throws InterruptedException {
    meantToRun.remove(instance);
    instance.kill();
  }

  synchronized void stop(ScoringInstance instance) {
    meantToRun.remove(instance);
    instance.stop();
  }

  void pause(ScoringInstance instance) throws IOException, InterruptedException {
    paused.add(instance);
    instance.pause();
  }

  void resume(ScoringInstance instance) throws IOException, InterruptedException {
    instance.resume();
    paused.remove(instance);
  }

  /** The small file system under an instance's state directory, if it was given one. */
  Optional<SmallFileSystem> smallStateDir(ScoringInstance instance) {
    return Optional.ofNullable(smallStateDirs.get(instance));
  }

  /** The instances meant to run now, in the order they were added. */
  List<ScoringInstance> running() {
    return instances.stream().filter(meantToRun::contains).toList();
  }

  /** Every instance ever started, running or not. */
  List<ScoringInstance> all() {
    return List.copyOf(instances);
  }

  /** Counts and restarts every instance that is meant to run but has exited. */
  synchronized void checkForUnplannedExits() throws IOException {
    for (ScoringInstance instance : running()) {
      if (!instance.isAlive()) {
        unplannedExits++;
        out.println("chaos: UNPLANNED EXIT of " + instance.name() + "; starting it again (see " + instance.log()
            + ")");
        instance.start();
      }
    }
  }

  /** Waits until every instance meant to run answers ready; an instance that exits meanwhile is counted. */
  void awaitAllReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ScoringInstance instance : running()) {
      while (true) {
        try {
          instance.awaitReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
          break;
        } catch (IOException e) {
          if (instance.isAlive() || System.nanoTime() > deadline) {
            throw e;
          }
          checkForUnplannedExits();
        }
      }
    }
  }

  synchronized int unplannedExits() {
    return unplannedExits;
  }

  /** Stops every instance at once: each graceful shutdown (commit, leave the group) is a wait of its own. */
  @Override
  public void close() {
    List<Runnable> stops = new ArrayList<>();
    for (ScoringInstance instance : instances) {
      if (paused.contains(instance)) {
        try {
          instance.resume();
        } catch (IOException | InterruptedException e) {
          out.println("chaos: could not resume " + instance.name() + ": " + e);
        }
      }
      stops.add(instance::close);
    }
    AtOnce.run(stops);
    smallStateDirs.values().forEach(SmallFileSystem::close);
  }
}
