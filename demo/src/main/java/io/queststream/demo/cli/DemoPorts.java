package io.queststream.demo.cli;

import io.queststream.demo.process.Ports;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The port of every process the demo starts, each on the loopback interface and set by its own option. */
record DemoPorts(int kafka, int controller, int registry, int app, int trainer, int dashboard) {

  /** Fails before anything starts when two options name one port or a port is taken, naming the option. */
  void requireFree() {
    Map<String, Integer> byOption = new LinkedHashMap<>();
    byOption.put("--kafka-port (Kafka broker)", kafka);
    byOption.put("--controller-port (KRaft controller)", controller);
    byOption.put("--registry-port (schema registry)", registry);
    byOption.put("--app-port (streams app health and metrics)", app);
    byOption.put("--trainer-port (trainer health and metrics)", trainer);
    byOption.put("--dashboard-port (dashboard)", dashboard);
    Map<Integer, String> seen = new HashMap<>();
    byOption.forEach((option, port) -> {
      String other = seen.putIfAbsent(port, option);
      if (other != null) {
        throw new IllegalStateException("port " + port + " is given to both " + other + " and " + option);
      }
    });
    byOption.forEach((option, port) -> Ports.requireFree(port, option));
  }
}
