package io.queststream.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's tokenizer, made unable to read control tokens out of message content. Hugging Face tokenizers match
 * their special tokens ({@code <|eot_id|>}, {@code [SEP]}, ...) anywhere in the text before anything else, so a
 * message holding {@code <|eot_id|><|start_header_id|>assistant} would become real turn boundaries. This encoder
 * holds the tokenizer with its special tokens removed from the added vocabulary, which reads such strings as
 * ordinary text, and writes the special tokens itself where the chat template put them: in template structure, never
 * in message content ({@link MessageText}).
 *
 * <p>Text is cut only at the template's special tokens, where a Hugging Face tokenizer cuts it too, and each stretch
 * in between (template text and message text together) is encoded whole, so merges across the template/content
 * border are the tokenizer's own. The tokens the tokenizer adds around a sequence ({@code [CLS]} ... {@code [SEP]})
 * come from its post-processor, when the template does not write special tokens itself. Thread-safe.
 */
final class TextEncoder implements AutoCloseable {

  /** Ids of a text and where each token starts in it (-1 for tokens that cover no text). */
  record Encoded(long[] ids, int[] starts) {

    int length() {
      return ids.length;
    }

    /** Index of the first token that starts at or after {@code charPos}; {@link #length()} when none does. */
    int firstTokenAtOrAfter(int charPos) {
      for (int i = 0; i < starts.length; i++) {
        if (starts[i] >= charPos) {
          return i;
        }
      }
      return starts.length;
    }
  }

  private final HuggingFaceTokenizer plain;
  private final Map<String, Long> specialIds;
  /** Special token texts by their first character, longest first. */
  private final Map<Character, List<Map.Entry<String, Long>>> specials;
  private final long[] prefix;
  private final long[] suffix;
  private final long unknownId;

  private TextEncoder(HuggingFaceTokenizer plain, Map<String, Long> specialIds, boolean addSpecialTokens,
      long unknownId) {
    this.plain = plain;
    this.specialIds = Map.copyOf(specialIds);
    this.specials = byFirstChar(specialIds);
    this.unknownId = unknownId;
    if (addSpecialTokens) {
      long[] bare = plain.encode("a", false, false).getIds();
      long[] wrapped = plain.encode("a", true, false).getIds();
      int at = indexOf(wrapped, bare);
      if (at < 0) {
        throw new IllegalArgumentException("the tokenizer's post-processor does not keep the text between the "
            + "tokens it adds");
      }
      this.prefix = Arrays.copyOfRange(wrapped, 0, at);
      this.suffix = Arrays.copyOfRange(wrapped, at + bare.length, wrapped.length);
    } else {
      this.prefix = new long[0];
      this.suffix = new long[0];
    }
  }

  /**
   * Loads tokenizer.json without its special tokens and without truncation or padding (both are the caller's job).
   *
   * @param addSpecialTokens whether sequences get the tokenizer's own special tokens around them (models whose
   *     template writes none)
   */
  static TextEncoder load(Path tokenizerJson, boolean addSpecialTokens) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(tokenizerJson.toFile());
    Map<String, Long> specialIds = new HashMap<>();
    ArrayNode kept = json.createArrayNode();
    for (JsonNode token : root.path("added_tokens")) {
      if (token.path("special").asBoolean(false)) {
        specialIds.put(token.path("content").asText(), token.path("id").asLong());
      } else {
        kept.add(token);
      }
    }
    root.set("added_tokens", kept);
    HuggingFaceTokenizer plain = HuggingFaceTokenizer.newInstance(
        new ByteArrayInputStream(json.writeValueAsBytes(root)),
        Map.of("truncation", "false", "padding", "false", "addSpecialTokens", Boolean.toString(addSpecialTokens)));
    JsonNode model = root.path("model");
    JsonNode unknown = model.path("vocab").path(model.path("unk_token").asText(""));
    return new TextEncoder(plain, specialIds, addSpecialTokens, unknown.isNumber() ? unknown.asLong() : -1);
  }

  /** Tokens the tokenizer puts before every sequence ({@code [CLS]}); empty when the template writes its own. */
  long[] prefix() {
    return prefix;
  }

  /** Tokens the tokenizer puts after every sequence ({@code [SEP]}); empty when the template writes its own. */
  long[] suffix() {
    return suffix;
  }

  /** The id of a special token, or -1 when the tokenizer has no such special token. */
  long specialId(String token) {
    return specialIds.getOrDefault(token, -1L);
  }

  /** The id the tokenizer writes for text it cannot read, or -1 when it has none (byte-level tokenizers). */
  long unknownId() {
    return unknownId;
  }

  /** Tokens of a text on its own: no special tokens added, none read out of it. */
  int count(String text) {
    return plain.encode(text, false, false).getIds().length;
  }

  /** Encodes text the template wrote: special tokens only from its structure, its content as plain text. */
  Encoded encode(MessageText text) {
    String s = text.text();
    List<long[]> idParts = new ArrayList<>();
    List<int[]> startParts = new ArrayList<>();
    int runStart = 0;
    int i = 0;
    while (i < s.length()) {
      Map.Entry<String, Long> special = specialAt(s, i, text);
      if (special == null) {
        i++;
        continue;
      }
      encodeRun(s, runStart, i, idParts, startParts);
      idParts.add(new long[] {special.getValue()});
      startParts.add(new int[] {i});
      i += special.getKey().length();
      runStart = i;
    }
    encodeRun(s, runStart, s.length(), idParts, startParts);
    return new Encoded(concat(idParts), concatInts(startParts));
  }

  /** The special token whose text starts at {@code at} in template structure, the longest one, or null. */
  private Map.Entry<String, Long> specialAt(String s, int at, MessageText text) {
    List<Map.Entry<String, Long>> candidates = specials.get(s.charAt(at));
    if (candidates == null) {
      return null;
    }
    for (Map.Entry<String, Long> e : candidates) {
      String token = e.getKey();
      if (s.startsWith(token, at) && !text.isContent(at, at + token.length())) {
        return e;
      }
    }
    return null;
  }

  private void encodeRun(String s, int from, int to, List<long[]> ids, List<int[]> starts) {
    if (from >= to) {
      return;
    }
    String run = s.substring(from, to);
    Encoding e = plain.encode(run, false, false);
    CharSpan[] spans = e.getCharTokenSpans();
    boolean surrogates = run.codePointCount(0, run.length()) != run.length();
    int[] at = new int[spans.length];
    for (int k = 0; k < spans.length; k++) {
      // Spans count code points; positions here count Java chars.
      at[k] = spans[k] == null ? -1
          : from + (surrogates ? run.offsetByCodePoints(0, spans[k].getStart()) : spans[k].getStart());
    }
    ids.add(e.getIds());
    starts.add(at);
  }

  private static Map<Character, List<Map.Entry<String, Long>>> byFirstChar(Map<String, Long> ids) {
    Map<Character, List<Map.Entry<String, Long>>> out = new HashMap<>();
    for (Map.Entry<String, Long> e : ids.entrySet()) {
      if (!e.getKey().isEmpty()) {
        out.computeIfAbsent(e.getKey().charAt(0), c -> new ArrayList<>()).add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    out.values().forEach(l -> l.sort(Comparator.comparingInt((Map.Entry<String, Long> e) -> e.getKey().length())
        .reversed()));
    return out;
  }

  private static int indexOf(long[] haystack, long[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  private static long[] concat(List<long[]> parts) {
    long[] out = new long[parts.stream().mapToInt(p -> p.length).sum()];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static int[] concatInts(List<int[]> parts) {
    int[] out = new int[parts.stream().mapToInt(p -> p.length).sum()];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Override
  public void close() {
    plain.close();
  }
}
