package io.queststream.demo.dashboard;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may write through the dashboard's form: a same-origin JSON POST from a page this dashboard served, at a
 * bounded rate. Each check stops one way in:
 *
 * <ul>
 *   <li>Host must be one of the dashboard's own addresses: a DNS-rebinding page reaches 127.0.0.1 under its own host
 *       name, and the browser sends that name;
 *   <li>Origin must be present and name the same host: browsers send it on every POST, so a request from another
 *       site, or without it, is refused;
 *   <li>Content-Type must be application/json: a cross-site form or "simple" fetch cannot send it without a CORS
 *       preflight, which this server never approves;
 *   <li>the page token must be one this process issued with a page;
 *   <li>a token bucket caps the rate of writes that pass all of the above.
 * </ul>
 */
public final class TryItGuard {

  static final String TOKEN_HEADER = "X-Dashboard-Token";

  /** Why a request was refused, with its HTTP status; {@code cause} is the short name counted on the summary. */
  record Refusal(int status, String cause, String error) {}

  /** Burst of writes allowed at once, and how often one more is allowed after that. */
  public record RateLimit(int burst, Duration refillEvery) {
    public static final RateLimit DEFAULT = new RateLimit(5, Duration.ofSeconds(2));
  }

  private final Set<String> hosts;
  private final PageTokens tokens;
  private final Bucket bucket;

  TryItGuard(Set<String> hosts, PageTokens tokens, RateLimit limit) {
    this.hosts = Set.copyOf(hosts);
    this.tokens = tokens;
    this.bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(limit.burst())
        .refillGreedy(1, limit.refillEvery()).build()).build();
  }

  /**
   * The host:port values the dashboard answers to: its bind address, the loopback names when it is bound to a
   * loopback or wildcard address, and the names it is published under.
   */
  static Set<String> ownHosts(String bindHost, int port, List<String> publishedNames) {
    Set<String> names = new LinkedHashSet<>();
    names.add(bindHost);
    if (loopbackOrWildcard(bindHost)) {
      names.addAll(List.of("127.0.0.1", "localhost", "[::1]"));
    }
    names.addAll(publishedNames);
    Set<String> hosts = new LinkedHashSet<>();
    names.forEach(n -> hosts.add(n.toLowerCase(Locale.ROOT) + ":" + port));
    return hosts;
  }

  private static boolean loopbackOrWildcard(String host) {
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Any request: refused unless its Host header is one of the dashboard's own. */
  Optional<Refusal> checkHost(String host) {
    if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
      return Optional.of(new Refusal(403, "host", "Host '" + host + "' is not an address of this dashboard"));
    }
    return Optional.empty();
  }

  /** A write: every check in order; the first that fails refuses it. */
  Optional<Refusal> checkWrite(String host, String origin, String contentType, String token) {
    Optional<Refusal> wrongHost = checkHost(host);
    if (wrongHost.isPresent()) {
      return wrongHost;
    }
    if (origin == null || !origin.equalsIgnoreCase("http://" + host)) {
      return Optional.of(new Refusal(403, "origin", "cross-origin write refused: Origin '" + origin
          + "' is not http://" + host));
    }
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
      return Optional.of(new Refusal(415, "content-type", "Content-Type must be application/json, was '"
          + contentType + "'"));
    }
    if (!tokens.valid(token)) {
      return Optional.of(new Refusal(403, "token", (token == null ? "missing" : "invalid") + " page token ("
          + TOKEN_HEADER + "): reload the dashboard"));
    }
    if (!bucket.tryConsume(1)) {
      return Optional.of(new Refusal(429, "rate", "too many replies to score; try again in a few seconds"));
    }
    return Optional.empty();
  }
}
