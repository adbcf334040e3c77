package io.queststream.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each check of the dashboard's write path refuses the request it exists for, and only that one. */
class TryItGuardTest {

  private static final String HOST = "127.0.0.1:8090";
  private static final String ORIGIN = "http://127.0.0.1:8090";
  private static final String JSON = "application/json";

  private final PageTokens tokens = new PageTokens();
  private final TryItGuard guard = new TryItGuard(TryItGuard.ownHosts("127.0.0.1", 8090, List.of()), tokens,
      new TryItGuard.RateLimit(2, Duration.ofHours(1)));

  private String refusal(String host, String origin, String contentType, String token) {
    return guard.checkWrite(host, origin, contentType, token).map(r -> r.status() + " " + r.cause()).orElse("ok");
  }

  @Test
  void aSameOriginJsonPostWithItsPageTokenPasses() {
    assertThat(refusal(HOST, ORIGIN, "application/json; charset=utf-8", tokens.issue())).isEqualTo("ok");
    assertThat(refusal("localhost:8090", "http://localhost:8090", JSON, tokens.issue())).isEqualTo("ok");
  }

  @Test
  void aHostNameThatIsNotTheDashboardsIsRefusedAsDnsRebinding() {
    assertThat(refusal("attacker.example:8090", "http://attacker.example:8090", JSON, tokens.issue()))
        .isEqualTo("403 host");
    assertThat(refusal(null, ORIGIN, JSON, tokens.issue())).isEqualTo("403 host");
    assertThat(guard.checkHost("attacker.example:8090")).isPresent();
    assertThat(guard.checkHost("127.0.0.1:8091")).isPresent();
  }

  @Test
  void anotherOriginOrNoneIsRefused() {
    assertThat(refusal(HOST, "http://attacker.example", JSON, tokens.issue())).isEqualTo("403 origin");
    assertThat(refusal(HOST, "https://127.0.0.1:8090", JSON, tokens.issue())).isEqualTo("403 origin");
    assertThat(refusal(HOST, null, JSON, tokens.issue())).isEqualTo("403 origin");
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIsRefused() {
    assertThat(refusal(HOST, ORIGIN, "text/plain", tokens.issue())).isEqualTo("415 content-type");
    assertThat(refusal(HOST, ORIGIN, "application/x-www-form-urlencoded", tokens.issue()))
        .isEqualTo("415 content-type");
    assertThat(refusal(HOST, ORIGIN, null, tokens.issue())).isEqualTo("415 content-type");
  }

  @Test
  void aMissingForgedOrForeignTokenIsRefused() {
    String foreign = new PageTokens().issue();
    String issued = tokens.issue();
    String forged = issued.substring(0, issued.indexOf('.') + 1) + "AAAA";

    assertThat(refusal(HOST, ORIGIN, JSON, null)).isEqualTo("403 token");
    assertThat(refusal(HOST, ORIGIN, JSON, foreign)).isEqualTo("403 token");
    assertThat(refusal(HOST, ORIGIN, JSON, forged)).isEqualTo("403 token");
    assertThat(refusal(HOST, ORIGIN, JSON, "no-dot")).isEqualTo("403 token");
  }

  @Test
  void writesBeyondTheBurstAreRefusedUntilTheBucketRefills() {
    assertThat(refusal(HOST, ORIGIN, JSON, tokens.issue())).isEqualTo("ok");
    assertThat(refusal(HOST, ORIGIN, JSON, tokens.issue())).isEqualTo("ok");
    assertThat(refusal(HOST, ORIGIN, JSON, tokens.issue())).isEqualTo("429 rate");
  }

  @Test
  void refusedRequestsDoNotUseUpTheRate() {
    for (int i = 0; i < 5; i++) {
      assertThat(refusal(HOST, "http://attacker.example", JSON, tokens.issue())).isEqualTo("403 origin");
    }
    assertThat(refusal(HOST, ORIGIN, JSON, tokens.issue())).isEqualTo("ok");
  }

  @Test
  void aDashboardPublishedUnderAnotherNameAnswersToItToo() {
    assertThat(TryItGuard.ownHosts("10.0.0.5", 80, List.of("Dash.Example.com")))
        .containsExactlyInAnyOrder("10.0.0.5:80", "dash.example.com:80");
    assertThat(TryItGuard.ownHosts("127.0.0.1", 8090, List.of()))
        .containsExactlyInAnyOrder("127.0.0.1:8090", "localhost:8090", "[::1]:8090");
  }
}
