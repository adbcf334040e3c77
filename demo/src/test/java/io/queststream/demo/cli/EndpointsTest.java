package io.queststream.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo's list of addresses: each is asked before it is printed, and one that does not answer is marked. */
class EndpointsTest {

  @Test
  void givenOneServiceUpAndOneDown_whenPrinted_thenOnlyTheDeadOneIsMarked() throws IOException {
    HttpServer up = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    up.createContext("/metrics", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    up.start();
    int down;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      down = s.getLocalPort();
    }
    int upPort = up.getAddress().getPort();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean all;
    try {
      all = new Endpoints()
          .http("streams app", "http://127.0.0.1:" + upPort, "/metrics")
          .http("trainer", "http://127.0.0.1:" + down, "/metrics", "/health/ready")
          .tcp("kafka", "localhost:" + upPort, upPort)
          .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    } finally {
      up.stop(0);
    }

    assertThat(all).isFalse();
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "  streams app      http://127.0.0.1:" + upPort + "/metrics",
        "  trainer          http://127.0.0.1:" + down + "/metrics  /health/ready   (not answering: see the logs)",
        "  kafka            localhost:" + upPort);
  }

  @Test
  void givenTwoOptionsWithOnePort_whenChecked_thenTheErrorNamesBoth() {
    DemoPorts ports = new DemoPorts(9092, 9093, 8081, 8088, 8088, 8090);

    assertThatThrownBy(ports::requireFree).hasMessage("port 8088 is given to both --app-port (streams app health "
        + "and metrics) and --trainer-port (trainer health and metrics)");
  }
}
