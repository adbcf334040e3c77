package io.queststream.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queststream.schemas.ChatTurn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSchemaRegistryClientTest {

  private static final Schema SCHEMA = ChatTurn.getClassSchema();
  private static final String SECRET = "s3cret-pw";

  private final ObjectMapper json = new ObjectMapper();
  private StubRegistryServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = StubRegistryServer.http();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void registersTheSchemaUnderTheSubjectAndCachesItsId() throws IOException {
    server.answer("POST", "/subjects/chat-turns-value/versions", 200, "{\"id\":7}");
    HttpSchemaRegistryClient client = client(Map.of());

    assertThat(client.register("chat-turns-value", SCHEMA)).isEqualTo(7);
    assertThat(client.register("chat-turns-value", SCHEMA)).isEqualTo(7);
    assertThat(client.schemaById(7)).isEqualTo(SCHEMA);

    assertThat(server.requests()).hasSize(1);
    StubRegistryServer.Request sent = server.requests().get(0);
    assertThat(sent.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
    JsonNode body = json.readTree(sent.body());
    assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(SCHEMA);
  }

  @Test
  void fetchesASchemaByIdOnce() {
    server.answer("GET", "/schemas/ids/3", 200, json.createObjectNode().put("schema", SCHEMA.toString()).toString());
    HttpSchemaRegistryClient client = client(Map.of());

    assertThat(client.schemaById(3)).isEqualTo(SCHEMA);
    assertThat(client.schemaById(3)).isEqualTo(SCHEMA);

    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void resolvesSchemaReferencesBeforeTheSchemaThatUsesThem() {
    String matrix = "{\"type\":\"record\",\"name\":\"Matrix\",\"namespace\":\"m\",\"fields\":["
        + "{\"name\":\"rows\",\"type\":\"int\"}]}";
    String layer = "{\"type\":\"record\",\"name\":\"Layer\",\"namespace\":\"m\",\"fields\":["
        + "{\"name\":\"weight\",\"type\":\"m.Matrix\"}]}";
    String model = "{\"type\":\"record\",\"name\":\"Model\",\"namespace\":\"m\",\"fields\":["
        + "{\"name\":\"layer\",\"type\":\"m.Layer\"},{\"name\":\"bias\",\"type\":\"m.Matrix\"}]}";
    server.answer("GET", "/schemas/ids/9", 200, answer(model, reference("m.Layer", "m.Layer", 1),
            reference("m.Matrix", "m.Matrix", 1)))
        .answer("GET", "/subjects/m.Layer/versions/1", 200, answer(layer, reference("m.Matrix", "m.Matrix", 1)))
        .answer("GET", "/subjects/m.Matrix/versions/1", 200, answer(matrix));

    Schema schema = client(Map.of()).schemaById(9);

    assertThat(schema.getField("layer").schema().getField("weight").schema().getFullName()).isEqualTo("m.Matrix");
    assertThat(schema.getField("bias").schema().getField("rows")).isNotNull();
    assertThat(server.requests()).extracting(StubRegistryServer.Request::path).containsExactly(
        "/schemas/ids/9", "/subjects/m.Layer/versions/1", "/subjects/m.Matrix/versions/1");
  }

  @Test
  void reportsASchemaWithAnUnresolvableNameAsUnusable() {
    server.answer("GET", "/schemas/ids/4", 200, answer(
        "{\"type\":\"record\",\"name\":\"Outer\",\"fields\":[{\"name\":\"x\",\"type\":\"Missing\"}]}"));

    assertThatThrownBy(() -> client(Map.of()).schemaById(4))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNUSABLE_SCHEMA))
        .hasMessageContaining("fetch schema id 4")
        .hasMessageContaining("Missing");
  }

  @Test
  void looksUpAnIdWithoutRegistering() {
    server.answer("POST", "/subjects/chat-turns-value", 200,
        "{\"subject\":\"chat-turns-value\",\"id\":5,\"version\":2,\"schema\":\"\"}");

    assertThat(client(Map.of()).idOf("chat-turns-value", SCHEMA)).isEqualTo(5);
  }

  @Test
  void encodesSubjectsInThePath() {
    server.answer("POST", "/subjects/odd%20topic-value/versions", 200, "{\"id\":1}");

    assertThat(client(Map.of()).register("odd topic-value", SCHEMA)).isEqualTo(1);
  }

  @Test
  void checksCompatibilityAgainstTheLatestVersion() {
    server.answer("POST", "/compatibility/subjects/chat-turns-value/versions/latest", 200,
        "{\"is_compatible\":false}");

    assertThat(client(Map.of()).isCompatible("chat-turns-value", SCHEMA)).isFalse();
  }

  @ParameterizedTest(name = "error code {0}")
  @ValueSource(ints = {40401, 40402})
  void treatsASubjectWithoutVersionsAsCompatible(int errorCode) {
    server.answer("POST", "/compatibility/subjects/new-topic-value/versions/latest", 404,
        "{\"error_code\":" + errorCode + ",\"message\":\"Subject 'new-topic-value' not found.\"}");

    assertThat(client(Map.of()).isCompatible("new-topic-value", SCHEMA)).isTrue();
  }

  @Test
  void reportsAnInvalidSchemaDuringACompatibilityCheck() {
    server.answer("POST", "/compatibility/subjects/chat-turns-value/versions/latest", 422,
        "{\"error_code\":42201,\"message\":\"Invalid schema\"}");

    assertThatThrownBy(() -> client(Map.of()).isCompatible("chat-turns-value", SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REJECTED))
        .hasMessageContaining("Invalid schema");
  }

  @Test
  void listsSubjects() {
    server.answer("GET", "/subjects", 200, "[\"chat-turns-value\",\"turn-scores-value\"]");

    assertThat(client(Map.of()).subjects()).containsExactly("chat-turns-value", "turn-scores-value");
  }

  @Test
  void reportsAnUnknownIdAsNotFoundWithTheRegistrysMessage() {
    server.answer("GET", "/schemas/ids/404", 404, "{\"error_code\":40403,\"message\":\"Schema 404 not found\"}");

    assertThatThrownBy(() -> client(Map.of()).schemaById(404))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND))
        .hasMessageContaining("fetch schema id 404")
        .hasMessageContaining("error code 40403")
        .hasMessageContaining("Schema 404 not found");
  }

  @Test
  void reportsARejectedRegistration() {
    server.answer("POST", "/subjects/chat-turns-value/versions", 409,
        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}");

    assertThatThrownBy(() -> client(Map.of()).register("chat-turns-value", SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REJECTED))
        .hasMessageContaining("incompatible with an earlier schema");
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {401, 403})
  void reportsRefusedCredentialsAsNotAuthorisedAndRetriable(int status) {
    server.answer("GET", "/schemas/ids/3", status, "{\"error_code\":" + status + ",\"message\":\"Forbidden\"}");

    assertThatThrownBy(() -> client(Map.of()).schemaById(3))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_AUTHORISED);
          assertThat(e.retriable()).isTrue();
        })
        .hasMessageContaining("answered " + status + " not authorised");
  }

  @Test
  void reportsAServerErrorAsUnavailable() {
    server.answer("GET", "/subjects", 503, "Service Unavailable");

    assertThatThrownBy(() -> client(Map.of()).subjects())
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
        .hasMessageContaining("503");
  }

  @Test
  void sendsBasicAuthCredentialsAndNeverPrintsThem() {
    server.answer("GET", "/subjects", 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
    HttpSchemaRegistryClient client = client(Map.of("basic.auth.user.info", "alice:" + SECRET));

    assertThatThrownBy(client::subjects)
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("not authorised")
        .hasMessageNotContaining(SECRET);
    String expected = "Basic " + Base64.getEncoder().encodeToString(("alice:" + SECRET)
        .getBytes(StandardCharsets.UTF_8));
    assertThat(server.requests().get(0).header("Authorization")).isEqualTo(expected);
    assertThat(client.toString()).doesNotContain(SECRET);
    assertThat(new RegistryClientConfig(props(Map.of("basic.auth.user.info", "alice:" + SECRET))).values()
        .toString()).doesNotContain(SECRET);
  }

  @Test
  void keepsCredentialsInTheUrlOutOfMessages() {
    HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistryClientConfig(Map.of(
        "schema.registry.url", "http://bob:" + SECRET + "@localhost:" + server.port())));

    assertThat(client.toString()).doesNotContain(SECRET).contains("http://localhost:" + server.port());
    assertThatThrownBy(() -> client.schemaById(1)).hasMessageNotContaining(SECRET);
  }

  @Test
  void rejectsUserInfoWithoutAPassword() {
    assertThatThrownBy(() -> client(Map.of("basic.auth.user.info", "alice")))
        .hasMessageContaining("user:password");
  }

  private String answer(String schema, ObjectNode... references) {
    ObjectNode answer = json.createObjectNode().put("schema", schema);
    answer.putArray("references").addAll(List.of(references));
    return answer.toString();
  }

  private ObjectNode reference(String name, String subject, int version) {
    return json.createObjectNode().put("name", name).put("subject", subject).put("version", version);
  }

  private HttpSchemaRegistryClient client(Map<String, String> extra) {
    return HttpSchemaRegistryClient.create(new RegistryClientConfig(props(extra)));
  }

  private Map<String, String> props(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>(extra);
    props.put("schema.registry.url", "http://localhost:" + server.port());
    return props;
  }
}
