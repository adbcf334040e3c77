package io.queststream.demo.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.demo.cli.QuestStreamCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversation or weights file the model could not score is reported as one line naming the problem, with exit
 * status 1 and nothing on stdout; the checks run before the model is loaded.
 */
class ScoreCommandTest {

  private static final String HINT = " (--verbose shows the stack trace)";

  @TempDir
  Path dir;

  @Test
  void givenAFileThatDoesNotExist_whenScored_thenOneLineNamesIt() {
    Path missing = dir.resolve("missing.json");

    Outcome o = score(missing.toString());

    assertThat(o.code).isEqualTo(1);
    assertThat(o.err).containsExactly("quest-stream score: no such file: " + missing + HINT);
    assertThat(o.out).isEmpty();
  }

  @Test
  void givenMalformedJson_whenScored_thenOneLineSaysWhereTheJsonBreaks() throws IOException {
    Path file = write("bad.json", "{\"messages\": [\n  {\"role\": \"user\" \"text\": \"hi\"}]}");

    Outcome o = score(file.toString());

    assertThat(o.code).isEqualTo(1);
    assertThat(o.err).containsExactly("quest-stream score: " + file + " is not valid JSON: Unexpected character "
        + "('\"' (code 34)): was expecting comma to separate Object entries (line 2, column 19)" + HINT);
  }

  @Test
  void givenJsonThatIsNotAnObject_whenScored_thenOneLineSaysAnObjectWasExpected() throws IOException {
    Path file = write("list.json", "[1, 2]");

    Outcome o = score(file.toString());

    assertThat(o.err).containsExactly("quest-stream score: " + file
        + " is not a conversation: expected a JSON object (line 1, column 1)" + HINT);
  }

  @Test
  void givenAnEmptyFile_whenScored_thenOneLineSaysItIsEmpty() throws IOException {
    Path file = write("empty.json", "");

    assertThat(score(file.toString()).err).containsExactly("quest-stream score: " + file
        + " is empty: expected a conversation as a JSON object" + HINT);
  }

  @Test
  void givenAConversationWithoutAReply_whenScored_thenOneLineSaysWhatToAdd() throws IOException {
    Path file = write("noreply.json", "{\"messages\": [{\"role\": \"user\", \"text\": \"Any rooms left?\"}]}");

    Outcome o = score(file.toString());

    assertThat(o.code).isEqualTo(1);
    assertThat(o.err).containsExactly("quest-stream score: nothing to score in " + file
        + ": give the reply as \"response\", or several as \"responses\"" + HINT);
  }

  @Test
  void givenAnEmptyAlternativeOrAnUnknownRole_whenScored_thenOneLineNamesTheEntry() throws IOException {
    Path blank = write("blank.json", "{\"responses\": [\"Yes.\", \"  \"]}");
    Path role = write("role.json", "{\"messages\": [{\"role\": \"narrator\", \"text\": \"Rain.\"}], "
        + "\"response\": \"Yes.\"}");

    assertThat(score(blank.toString()).err).containsExactly("quest-stream score: " + blank
        + ": \"responses\"[1] is empty" + HINT);
    assertThat(score(role.toString()).err).containsExactly("quest-stream score: " + role
        + ": \"messages\"[0] needs a \"role\" of user, assistant or system, not 'narrator'" + HINT);
  }

  @Test
  void givenWeightsThatAreNotAnAvroFile_whenScored_thenOneLineNamesTheWeightsFile() throws IOException {
    Path file = write("ok.json", "{\"response\": \"Yes.\"}");
    Path weights = write("weights.avro", "not avro");

    Outcome o = score(file.toString(), "--weights", weights.toString());

    assertThat(o.code).isEqualTo(1);
    assertThat(o.err).containsExactly("quest-stream score: " + weights
        + " is not a RewardHeads Avro file: Not an Avro data file." + HINT);
  }

  @Test
  void givenVerbose_whenAFileIsMissing_thenTheStackTraceComesBeforeTheOneLine() {
    Path missing = dir.resolve("missing.json");

    Outcome o = score("--verbose", missing.toString());

    assertThat(o.code).isEqualTo(1);
    assertThat(o.err.get(0)).isEqualTo("java.nio.file.NoSuchFileException: " + missing);
    assertThat(o.err.get(1)).startsWith("\tat ");
    assertThat(o.err.get(o.err.size() - 1)).isEqualTo("quest-stream score: no such file: " + missing);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static Outcome score(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = QuestStreamCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("score"));
    all.addAll(List.of(args));
    int code = cli.execute(all.toArray(String[]::new));
    return new Outcome(code, out.toString().lines().toList(), err.toString().lines().toList());
  }

  private record Outcome(int code, List<String> out, List<String> err) {}
}
