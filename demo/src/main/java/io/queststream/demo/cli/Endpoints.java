package io.queststream.demo.cli;

import io.queststream.demo.process.Ports;
import io.queststream.demo.process.Readiness;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The addresses the demo tells its user about; each is asked before it is printed, so none is a dead end. */
final class Endpoints {

  private record Endpoint(String label, String address, List<BooleanSupplier> checks) {}

  private final List<Endpoint> endpoints = new ArrayList<>();

  /** An HTTP service: {@code base} followed by {@code paths}, every one of which must answer 200. */
  Endpoints http(String label, String base, String... paths) {
    List<BooleanSupplier> checks = new ArrayList<>();
    StringBuilder shown = new StringBuilder();
    for (String path : paths) {
      checks.add(Readiness.httpOk(base + path));
      shown.append(shown.length() == 0 ? base + path : "  " + path);
    }
    endpoints.add(new Endpoint(label, shown.toString(), checks));
    return this;
  }

  /** A TCP service on the loopback interface, such as the Kafka broker. */
  Endpoints tcp(String label, String address, int port) {
    endpoints.add(new Endpoint(label, address, List.of(() -> Ports.isListening(port))));
    return this;
  }

  /** Prints every address, marking any that does not answer; returns whether all answered. */
  boolean print(PrintStream out) {
    boolean all = true;
    for (Endpoint e : endpoints) {
      boolean answers = e.checks().stream().allMatch(BooleanSupplier::getAsBoolean);
      all &= answers;
      out.printf("  %-16s %s%s%n", e.label(), e.address(), answers ? "" : "   (not answering: see the logs)");
    }
    return all;
  }
}
