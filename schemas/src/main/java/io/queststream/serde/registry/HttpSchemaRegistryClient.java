package io.queststream.serde.registry;

import static io.queststream.serde.registry.SchemaRegistryException.Kind.NOT_AUTHORISED;
import static io.queststream.serde.registry.SchemaRegistryException.Kind.NOT_FOUND;
import static io.queststream.serde.registry.SchemaRegistryException.Kind.REJECTED;
import static io.queststream.serde.registry.SchemaRegistryException.Kind.UNAVAILABLE;
import static io.queststream.serde.registry.SchemaRegistryException.Kind.UNUSABLE_SCHEMA;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * A client for the Confluent Schema Registry REST API (also served by Apicurio under {@code /apis/ccompat/v7}),
 * on {@link HttpClient} and Jackson. Every request has a deadline, so an unreachable registry fails fast with
 * {@link SchemaRegistryException.Kind#UNAVAILABLE}. Schemas by id and ids by (subject, schema) never change once
 * assigned, so both are cached for the life of the client. Credentials never appear in messages or
 * {@link #toString()}.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  /** "Subject not found" (Confluent) and "version not found" (Apicurio, for a subject without versions). */
  private static final int SUBJECT_NOT_FOUND = 40401;
  private static final int VERSION_NOT_FOUND = 40402;
  /** Guards against a reference cycle in a misbehaving registry. */
  private static final int MAX_REFERENCE_DEPTH = 32;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http;
  private final String baseUrl;
  private final String displayUrl;
  private final Duration requestTimeout;
  private final String authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  private HttpSchemaRegistryClient(HttpClient http, String baseUrl, Duration requestTimeout, String authorization) {
    this.http = http;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.displayUrl = redact(this.baseUrl);
    this.requestTimeout = requestTimeout;
    this.authorization = authorization;
  }

  public static HttpSchemaRegistryClient create(RegistryClientConfig config) {
    String url = config.url();
    // HTTP/1.1: on plain http the JDK client's HTTP/2 upgrade gets GOAWAY from some registries (Apicurio/Quarkus).
    HttpClient.Builder http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(config.getInt(RegistryClientConfig.CONNECT_TIMEOUT_MS)))
        // Never follow a redirect: it would carry the Authorization header to wherever it points.
        .followRedirects(HttpClient.Redirect.NEVER);
    if (url.startsWith("https://")) {
      http.sslContext(TlsContexts.from(config));
    }
    return new HttpSchemaRegistryClient(http.build(), url,
        Duration.ofMillis(config.getInt(RegistryClientConfig.REQUEST_TIMEOUT_MS)),
        basicAuthorization(config.getPassword(RegistryClientConfig.BASIC_AUTH_USER_INFO)));
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    String path = "/subjects/" + segment(subject) + "/versions";
    String what = "register " + schema.getFullName() + " under subject '" + subject + "'";
    JsonNode answer;
    try {
      answer = post(path, schemaBody(schema), what);
    } catch (RegistryAnswer e) {
      // Two clients creating a new subject at the same moment: Apicurio answers the later one 409 "already exists".
      // Registering the same schema again returns its id; an incompatible schema is refused again.
      if (e.status != 409) {
        throw e;
      }
      answer = post(path, schemaBody(schema), what);
    }
    return remember(key, idIn(answer));
  }

  @Override
  public int idOf(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = post("/subjects/" + segment(subject), schemaBody(schema),
        "look up " + schema.getFullName() + " under subject '" + subject + "'");
    return remember(key, idIn(answer));
  }

  /**
   * The schema with this id. A schema that refers to named types registered under other subjects (Confluent's
   * schema references, which Apicurio's serializers create for nested records) is parsed after its references,
   * depth first, in one parser.
   */
  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String what = "fetch schema id " + id;
    JsonNode answer = send(request("/schemas/ids/" + id).GET(), what);
    Schema.Parser parser = new Schema.Parser();
    try {
      parseReferences(answer, parser, new HashSet<>(), what, 0);
      Schema schema = parser.parse(schemaText(answer, what));
      schemasById.put(id, schema);
      return schema;
    } catch (AvroRuntimeException e) {
      throw new SchemaRegistryException(UNUSABLE_SCHEMA,
          what + " at " + displayUrl + ": not a usable Avro schema (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    String what = "check compatibility of " + schema.getFullName() + " with subject '" + subject + "'";
    try {
      JsonNode answer = post("/compatibility/subjects/" + segment(subject) + "/versions/latest",
          schemaBody(schema), what);
      JsonNode verdict = answer.get("is_compatible");
      if (verdict == null || !verdict.isBoolean()) {
        throw new SchemaRegistryException(UNAVAILABLE, what + " at " + displayUrl + ": answer has no is_compatible");
      }
      return verdict.asBoolean();
    } catch (RegistryAnswer e) {
      if (e.status == 404 && (e.errorCode == SUBJECT_NOT_FOUND || e.errorCode == VERSION_NOT_FOUND)) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public List<String> subjects() {
    JsonNode answer = send(request("/subjects").GET(), "list subjects");
    List<String> subjects = new ArrayList<>();
    answer.forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  @Override
  public String toString() {
    return "HttpSchemaRegistryClient[" + displayUrl + "]";
  }

  /** The URL without any user info, for messages. */
  static String redact(String url) {
    return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
  }

  private void parseReferences(JsonNode answer, Schema.Parser parser, Set<String> parsed, String what, int depth) {
    JsonNode references = answer.path("references");
    if (references.isEmpty()) {
      return;
    }
    if (depth >= MAX_REFERENCE_DEPTH) {
      throw new SchemaRegistryException(UNUSABLE_SCHEMA,
          what + " at " + displayUrl + ": schema references nest deeper than " + MAX_REFERENCE_DEPTH);
    }
    for (JsonNode reference : references) {
      String subject = reference.path("subject").asText();
      String version = reference.path("version").asText();
      if (parsed.add(subject + "/" + version)) {
        JsonNode referenced = send(request("/subjects/" + segment(subject) + "/versions/" + segment(version)).GET(),
            what + ": fetch reference " + reference.path("name").asText() + " (subject '" + subject
                + "' version " + version + ")");
        parseReferences(referenced, parser, parsed, what, depth + 1);
        parser.parse(schemaText(referenced, what));
      }
    }
  }

  private String schemaText(JsonNode answer, String what) {
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw new SchemaRegistryException(UNUSABLE_SCHEMA, what + " at " + displayUrl + ": answer has no schema");
    }
    return text.asText();
  }

  private int remember(SubjectSchema key, int id) {
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, key.schema());
    return id;
  }

  private int idIn(JsonNode answer) {
    JsonNode id = answer.get("id");
    if (id == null || !id.canConvertToInt()) {
      throw new SchemaRegistryException(UNAVAILABLE, "registry at " + displayUrl + " answered without an id");
    }
    return id.intValue();
  }

  private String schemaBody(Schema schema) {
    try {
      return json.writeValueAsString(Map.of("schema", schema.toString()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON string", e);
    }
  }

  private JsonNode post(String path, String body, String what) {
    return send(request(path).header("Content-Type", CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofString(body)),
        what);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private JsonNode send(HttpRequest.Builder request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new SchemaRegistryException(UNAVAILABLE,
          what + ": registry at " + displayUrl + " did not answer in time (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new SchemaRegistryException(UNAVAILABLE, what + ": registry at " + displayUrl + " is unreachable ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(UNAVAILABLE, what + ": interrupted waiting for " + displayUrl, e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      try {
        return json.readTree(response.body());
      } catch (JsonProcessingException e) {
        throw new SchemaRegistryException(UNAVAILABLE,
            what + ": registry at " + displayUrl + " answered " + status + " with a body that is not JSON", e);
      }
    }
    throw RegistryAnswer.of(what, displayUrl, status, response.body(), json);
  }

  private static String basicAuthorization(Password userInfo) {
    if (userInfo == null) {
      return null;
    }
    if (userInfo.value().indexOf(':') < 0) {
      throw new ConfigException(RegistryClientConfig.BASIC_AUTH_USER_INFO + " must be user:password");
    }
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.value().getBytes(StandardCharsets.UTF_8));
  }

  private static String segment(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A non-2xx answer, with the registry's own error code and message. */
  private static final class RegistryAnswer extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    private RegistryAnswer(Kind kind, String message, int status, int errorCode) {
      super(kind, message);
      this.status = status;
      this.errorCode = errorCode;
    }

    static RegistryAnswer of(String what, String url, int status, String body, ObjectMapper json) {
      int errorCode = status;
      String message = body == null ? "" : body;
      try {
        JsonNode error = json.readTree(message);
        if (error != null && error.has("error_code")) {
          errorCode = error.get("error_code").asInt(status);
          message = Objects.requireNonNullElse(error.path("message").textValue(), "");
        }
      } catch (JsonProcessingException notJson) {
        // The raw body is the best description there is.
      }
      if (message.length() > 500) {
        message = message.substring(0, 500) + "...";
      }
      Kind kind = status == 404 ? NOT_FOUND
          : status == 401 || status == 403 ? NOT_AUTHORISED
          : status >= 500 || status == 408 || status == 429 ? UNAVAILABLE
          : REJECTED;
      String text = what + ": registry at " + url + " answered " + status
          + (errorCode != status ? " (error code " + errorCode + ")" : "")
          + (status == 401 || status == 403 ? " not authorised" : "")
          + (message.isBlank() ? "" : ": " + message);
      return new RegistryAnswer(kind, text, status, errorCode);
    }
  }
}
