package io.queststream.schemas.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterFitTest {

  private static final int LIMIT = 100 * 1024;

  @Test
  void aRecordThatFitsIsLeftWholeWithNoCutHeaders() {
    byte[] key = bytes('k', DeadLetterFit.MAX_KEY_BYTES);
    byte[] value = bytes('v', LIMIT - DeadLetterFit.ROOM);
    RecordHeaders headers = new RecordHeaders();
    headers.add("message", bytes('m', DeadLetterFit.MAX_HEADER_BYTES));

    DeadLetterFit.Fitted f = DeadLetterFit.fit(key, value, headers, LIMIT);

    assertThat(f.key()).isEqualTo(key);
    assertThat(f.value()).isEqualTo(value);
    assertThat(f.headers().toArray()).extracting(Header::key).containsExactly("message");
    assertThat(f.headers().lastHeader("message").value()).isEqualTo(bytes('m', DeadLetterFit.MAX_HEADER_BYTES));
  }

  @Test
  void aKeyAValueAndAHeaderOneByteTooLongAreCutAndTheLengthsNamed() {
    byte[] key = bytes('k', DeadLetterFit.MAX_KEY_BYTES + 1);
    byte[] value = bytes('v', LIMIT - DeadLetterFit.ROOM + 1);
    RecordHeaders headers = new RecordHeaders();
    headers.add("message", bytes('m', DeadLetterFit.MAX_HEADER_BYTES + 1));

    DeadLetterFit.Fitted f = DeadLetterFit.fit(key, value, headers, LIMIT);

    assertThat(f.key()).isEqualTo(Arrays.copyOf(key, DeadLetterFit.MAX_KEY_BYTES));
    assertThat(f.value()).isEqualTo(Arrays.copyOf(value, LIMIT - DeadLetterFit.ROOM));
    assertThat(f.headers().lastHeader("message").value()).hasSize(DeadLetterFit.MAX_HEADER_BYTES);
    assertThat(text(f, DeadLetterFit.KEY_CUT_FROM)).isEqualTo("4097");
    assertThat(text(f, DeadLetterFit.VALUE_CUT_FROM)).isEqualTo(Integer.toString(LIMIT - DeadLetterFit.ROOM + 1));
  }

  @Test
  void aLimitBelowTheRoomForHeadersKeepsNoValueButStillNamesItsLength() {
    DeadLetterFit.Fitted f = DeadLetterFit.fit(null, bytes('v', 10), null, DeadLetterFit.ROOM - 1);

    assertThat(f.key()).isNull();
    assertThat(f.value()).isEmpty();
    assertThat(text(f, DeadLetterFit.VALUE_CUT_FROM)).isEqualTo("10");
  }

  private static String text(DeadLetterFit.Fitted f, String header) {
    return new String(f.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(char c, int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) c);
    return b;
  }
}
