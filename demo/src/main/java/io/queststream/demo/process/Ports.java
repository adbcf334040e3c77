package io.queststream.demo.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Port checks, so a taken port is reported before anything starts instead of as a bind error in a child log. */
public final class Ports {

  private Ports() {}

  public static void requireFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " (" + what + ") is already in use; pick another with the "
          + "matching --*-port option or stop whatever is listening there", e);
    }
  }

  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          (int) Duration.ofMillis(300).toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
