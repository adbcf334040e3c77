package io.queststream.demo.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 requests written byte for byte, so a test can send the headers a hostile page makes a browser send (a
 * rebound Host, a foreign Origin), which Java's HTTP client will not set.
 */
final class RawHttp {

  record Response(int status, String body) {}

  private RawHttp() {}

  /** Connects to 127.0.0.1:port and sends the request; headers are sent as given, in order. */
  static Response send(int port, String method, String path, Map<String, String> headers, String body)
      throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Connection", "close");
    if (body != null) {
      all.put("Content-Length", Integer.toString(payload.length));
    }
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(90_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      in.transferTo(received);
      String text = received.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      int bodyStart = text.indexOf("\r\n\r\n");
      // The dashboard always sends a Content-Length, and closes: the body is the rest of the stream.
      return new Response(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
    }
  }
}
